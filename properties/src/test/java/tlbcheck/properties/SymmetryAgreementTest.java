package tlbcheck.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vavr.collection.Array;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import tlbcheck.explore.ExploreResult;
import tlbcheck.explore.Explorer;
import tlbcheck.model.Model;
import tlbcheck.model.Variant;
import tlbcheck.model.invariant.Invariant;

/**
 * The explorer's symmetries (CPUs, pages and frames renamed) keep every answer. For every catalogued variant, in its
 * small scope: each row expected to violate is searched with and without the reductions, and both give the same
 * shortest length; the rows expected to hold are searched together (one invariant that is any of theirs, so the
 * space is walked once each way), and both searches hold with the unreduced space at most the group's size times
 * the reduced one. A variant whose reduced space has more than {@link #MAX_STATES} states (the KVM ones among
 * others) is too large to walk twice in every build: its first levels are compared instead, as deep as
 * {@link #SHALLOW_STATES} reduced states reach, and the output says to which depth.
 */
class SymmetryAgreementTest {

    static final long MAX_STATES = 200_000;
    /** The reduced states of the first levels compared where the whole space is over {@link #MAX_STATES}. */
    static final long SHALLOW_STATES = 40_000;

    @TestFactory
    Stream<DynamicTest> reducedAndUnreducedSearchAgree() {
        return HuntPropertiesTest.variants().toJavaStream().filter(SymmetryAgreementTest::selected)
                .flatMap(v -> rows(v, v.smallScope()));
    }

    /**
     * Pages are renamed only where a scope has two or more, and the small scopes have one: the variants without a
     * guest (V1-V6) are also compared in a two-page scope, with one CPU so that the unreduced space stays small.
     */
    @TestFactory
    Stream<DynamicTest> reducedAndUnreducedSearchAgreeOnTwoPages() {
        tlbcheck.model.Scope twoPages = tlbcheck.model.Scope.of(1, 1, 2, 3);
        return Array.of("V1", "V2", "V3", "V4", "V5", "V6").toJavaStream()
                .map(tlbcheck.model.Variants::byName)
                .filter(SymmetryAgreementTest::selected)
                .flatMap(v -> rows(v, twoPages));
    }

    /** The variants {@code -Dtlbcheck.variant} selects, as the hunt does: all without it. */
    static boolean selected(Variant v) {
        return HuntSettings.selected("tlbcheck.variant", v.name(), v.row());
    }

    private static Stream<DynamicTest> rows(Variant v, tlbcheck.model.Scope scope) {
        Array<Invariant> rows = tlbcheck.model.Catalogues.get().invariants()
                .filter(i -> Expected.verdict(v, i).isDefined());
        Stream<DynamicTest> violating = rows.filter(i -> Expected.verdict(v, i).get().equals(Expected.VIOLATES))
                .toJavaStream().map(i -> DynamicTest.dynamicTest(v.name() + " / " + i.name() + " in " + scope,
                        () -> agree(v, scope, i)));
        Array<Invariant> holding = rows.filter(i -> Expected.verdict(v, i).get().equals(Expected.HOLDS));
        return Stream.concat(violating, holding.isEmpty() ? Stream.empty() : Stream.of(DynamicTest.dynamicTest(
                v.name() + " / every holding row in " + scope, () -> agree(v, scope, new AnyOf(holding)))));
    }

    private static void agree(Variant variant, tlbcheck.model.Scope scope, Invariant invariant) {
        Model model = new Model(variant, scope);
        long orbit = new tlbcheck.explore.StateCodec(model).orbitBound();
        Explorer.Config config = Explorer.Config.defaults().withMaxStates(MAX_STATES);
        ExploreResult first = Explorer.explore(model, invariant, config);
        boolean whole = first.violated() || first.complete();
        // Too large to walk twice: compare the first levels instead, as deep as SHALLOW_STATES reduced states go.
        // A search stopped by its count stops at the end of a level, as one bounded by that depth does.
        ExploreResult reduced = whole ? first : Explorer.explore(model, invariant, config.withMaxStates(SHALLOW_STATES));
        Explorer.Config unreduced = config.withSymmetry(tlbcheck.explore.Symmetry.NONE);
        ExploreResult full = Explorer.explore(model, invariant, whole ? unreduced.withMaxStates(MAX_STATES * orbit)
                : unreduced.withMaxDepth(reduced.depth()).withMaxStates(Long.MAX_VALUE));
        String what = variant.name() + " / " + invariant.name() + " in " + scope
                + (whole ? "" : " to depth " + reduced.depth());
        assertEquals(reduced.observed(), full.observed(), () -> what + ": verdicts differ; reduced " + reduced.verdict()
                + ", unreduced " + full.verdict());
        assertEquals(reduced.trace().map(t -> t.size()), full.trace().map(t -> t.size()),
                () -> what + ": shortest lengths differ");
        if (!reduced.violated()) {
            assertTrue(!whole || full.complete(), () -> what + ": the unreduced search must finish: " + full.verdict());
            assertTrue(full.states() >= reduced.states() && full.states() <= reduced.states() * orbit,
                    () -> what + ": " + full.states() + " unreduced states against " + reduced.states() + " reduced");
        }
        if (!whole) {
            System.out.println("symmetry agreement " + what + " (more than " + MAX_STATES + " states in all): "
                    + reduced.states() + " states reduced, " + full.states() + " unreduced");
        }
    }
}
