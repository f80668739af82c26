package tlbcheck.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tlbcheck.model.Model;
import tlbcheck.model.Variant;
import tlbcheck.model.Variants;
import tlbcheck.model.invariant.Invariant;
import tlbcheck.model.invariant.Invariants;

/**
 * The explorer's threads insert into one visited set in whatever order they run; the answer must not depend on
 * it. Each row is explored on 1 thread, on 1 thread taking every level's states in the opposite order (so that
 * another state reaches each new one first, every time), and on 5 threads (more than this machine has cores, so
 * their timing differs from run to run); the verdict, the state and transition counts, the depth and the
 * counterexample, step by step, must be the same.
 */
class ExplorerDeterminismTest {

    @ParameterizedTest(name = "{0} / invariant {1}")
    @CsvSource({"V1, 1", "V1, 4", "V4, 1", "V7, 6", "V5, 1"})
    void theSameOnAnyNumberOfThreads(String variantName, int invariantNo) {
        Variant variant = Variants.byName(variantName);
        Invariant invariant = Invariants.all().filter(i -> i.number() == invariantNo).head();
        Model model = new Model(variant, variant.smallScope());
        ExploreResult one = Explorer.explore(model, invariant, Explorer.Config.defaults().withThreads(1));
        ExploreResult five = Explorer.explore(model, invariant, Explorer.Config.defaults().withThreads(5));
        ExploreResult reversed = Explorer.exploreReversed(model, invariant, Explorer.Config.defaults().withThreads(1));
        assertTrue(one.violated() || one.complete(), one.verdict());
        assertEquals(one.trace().map(t -> t.mkString("\n")), reversed.trace().map(t -> t.mkString("\n")),
                "the counterexample differs when the level's states are taken in the opposite order");
        assertEquals(one.states(), reversed.states());
        assertEquals(one.verdict(), five.verdict());
        assertEquals(one.states(), five.states());
        assertEquals(one.transitions(), five.transitions());
        assertEquals(one.depth(), five.depth());
        assertEquals(one.trace().map(t -> t.mkString("\n")), five.trace().map(t -> t.mkString("\n")),
                "the counterexample differs between 1 and 5 threads");
    }
}
