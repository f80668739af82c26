package tlbcheck.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vavr.collection.Array;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import tlbcheck.explore.ExploreResult;
import tlbcheck.explore.Explorer;
import tlbcheck.explore.Symmetry;
import tlbcheck.model.Model;
import tlbcheck.model.Scope;
import tlbcheck.model.Variant;
import tlbcheck.model.invariant.Invariant;

/**
 * Sleep sets change what the explorer encodes, never what it finds. Each catalogued variant is searched with and
 * without them, in its small scope and in the reviewer's (2 CPUs, 2 pages, 3 frames), once for the rows it is expected
 * to violate and once for those it is expected to hold (each group as one invariant that is any of its rows: a sleep
 * set does not depend on the invariant, and every transition is still checked). The counts of states, transitions
 * and deadlocks, the depth, the verdict and the shortest length must be equal. A search is bounded to its first
 * levels, as deep as {@link #STATES} states reach with sleep sets, and the other is bounded to that depth; the search
 * without the symmetry reductions (no renaming to carry a sleep set through) is compared on V1-V6's small scopes. On
 * V5 the sleep sets must have skipped something, or this test would compare a search with itself.
 */
class SleepSetAgreementTest {

    /** How many states of a search are compared: its first levels, as deep as this many states reach. */
    static final long STATES = 15_000;

    @TestFactory
    Stream<DynamicTest> sleepSetsChangeNoAnswer() {
        return HuntPropertiesTest.variants().toJavaStream().filter(SymmetryAgreementTest::selected).flatMap(v -> Stream.of(
                groups(v, v.smallScope(), Symmetry.ALL),
                ExhaustiveCheck.reviewerScope(v).equals(v.smallScope()) ? Stream.<DynamicTest>empty()
                        : groups(v, ExhaustiveCheck.reviewerScope(v), Symmetry.ALL),
                v.name().matches("V[1-6]-.*") ? groups(v, v.smallScope(), Symmetry.NONE) : Stream.<DynamicTest>empty())
                .flatMap(x -> x));
    }

    private static Stream<DynamicTest> groups(Variant v, Scope scope, Symmetry symmetry) {
        Array<Invariant> rows = tlbcheck.model.Catalogues.get().invariants()
                .filter(i -> Expected.verdict(v, i).isDefined());
        return Stream.of(Expected.VIOLATES, Expected.HOLDS)
                .map(verdict -> rows.filter(i -> Expected.verdict(v, i).get().equals(verdict)))
                .filter(group -> !group.isEmpty())
                .map(group -> group.size() == 1 ? group.get(0) : new AnyOf(group))
                .map(i -> DynamicTest.dynamicTest(v.name() + " / " + i.name() + " in " + scope + ", symmetry " + symmetry,
                        () -> agree(v, scope, i, symmetry)));
    }

    private static void agree(Variant variant, Scope scope, Invariant invariant, Symmetry symmetry) {
        Model model = new Model(variant, scope);
        Explorer.Config config = Explorer.Config.defaults().withSymmetry(symmetry).withMaxStates(STATES);
        ExploreResult first = Explorer.explore(model, invariant, config);
        // Bounded by a count, a search stops at the end of a level; the same depth bounds both searches compared.
        config = config.withMaxDepth(first.violated() || first.complete() ? 0 : first.depth())
                .withMaxStates(Long.MAX_VALUE);
        ExploreResult with = Explorer.explore(model, invariant, config);
        ExploreResult without = Explorer.explore(model, invariant, config.withSleepSets(false));
        String what = variant.name() + " / " + invariant.name() + " in " + scope + ", symmetry " + symmetry
                + " to depth " + with.depth();
        assertEquals(without.observed(), with.observed(), what + ": verdicts differ");
        assertEquals(without.trace().map(t -> t.size()), with.trace().map(t -> t.size()), what + ": shortest lengths differ");
        assertEquals(without.states(), with.states(), what + ": states differ");
        assertEquals(without.transitions(), with.transitions(), what + ": transitions differ");
        assertEquals(without.depth(), with.depth(), what + ": depths differ");
        assertEquals(without.deadlocks(), with.deadlocks(), what + ": deadlocks differ");
        assertEquals(without.complete(), with.complete(), what + ": one search finished, the other did not");
        assertEquals(0, without.slept(), what + ": a search without sleep sets skipped transitions");
        if (variant.name().startsWith("V5") && with.states() > 1000) {
            assertTrue(with.slept() > 0, what + ": sleep sets skipped nothing");
        }
        System.out.printf("sleep sets %s: %d states, %d transitions, %d slept (%.1f%%)%n", what, with.states(),
                with.transitions(), with.slept(), 100.0 * with.slept() / Math.max(1, with.transitions()));
    }
}
