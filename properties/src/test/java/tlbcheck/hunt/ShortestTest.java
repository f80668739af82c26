package tlbcheck.hunt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vavr.collection.Array;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tlbcheck.explore.ExploreResult;
import tlbcheck.explore.Explorer;
import tlbcheck.explore.Symmetry;
import tlbcheck.model.Catalogues;
import tlbcheck.model.Model;
import tlbcheck.model.Replay;
import tlbcheck.model.Scope;
import tlbcheck.model.invariant.Invariant;
import tlbcheck.model.invariant.Invariants;
import tlbcheck.model.step.Step;

/**
 * What the search after shrinking promises, on a few rows in seconds (the catalogue's rows check it through the
 * whole hunt, minutes long): from a walk shrunk only a little, it finds a shorter run and says so; from the shrunk
 * walk, it proves it shortest or replaces it; either way the answer breaks the invariant at its last step, and the
 * explorer without any reduction finds nothing shorter. The trace's own scope names just the actors it uses.
 */
class ShortestTest {

    @ParameterizedTest(name = "{0} invariant {1}")
    @CsvSource({"V1, 7", "V7, 6", "V11, 2"})
    void theAnswerIsAShortestRunAndSaysHowItKnows(String variant, int number) {
        Model model = new Model(Catalogues.get().variant(variant));
        Invariant invariant = Invariants.all().find(i -> i.number() == number).get();
        HuntResult found = Hunt.search(model, invariant, HuntConfig.quick(7));
        assertTrue(found.violated(), () -> variant + " / " + invariant.name() + ": the hunt's walks found no violation");
        String where = variant + " / " + invariant.name() + ": ";

        Shrinker.Result shrunk = new Shrinker(model, invariant, 60).shrink(found.walk());
        Shrinker.Result best = Shortest.of(model, invariant, shrunk);
        int length = best.steps().size();
        assertTrue(length <= shrunk.steps().size(), where + "longer than the shrunk walk");
        assertTrue(best.shortest().equals(Shortest.PROVEN) || best.shortest().equals(Shortest.FOUND), where + best.shortest());
        assertEquals(best.shortest().equals(Shortest.PROVEN), length == shrunk.steps().size(),
                where + "proven means the shrunk walk was kept, found means a shorter one replaced it");
        assertTrue(violatesAtItsEnd(model, invariant, best.steps()), where + best.steps() + " does not break it at its last step");
        assertEquals(invariant.name(), best.violation().invariant());
        ExploreResult unreduced = Explorer.explore(model, invariant, Explorer.Config.defaults().withMaxDepth(length - 1)
                .withSymmetry(Symmetry.NONE).withSleepSets(false));
        assertFalse(unreduced.violated(), where + "the unreduced search finds " + unreduced.trace() + ", shorter than " + length);
        assertEquals("depth", unreduced.stoppedBy(), where + "the unreduced search did not reach depth " + (length - 1));

        // A walk the shrinker barely touched: the search finds a run as short as the one above, and says it found it.
        Shrinker.Result rough = new Shrinker(model, invariant, 60, 1).shrink(found.walk());
        if (rough.steps().size() > length) {
            Shrinker.Result searched = Shortest.of(model, invariant, rough);
            assertEquals(Shortest.FOUND, searched.shortest(), where + "from " + rough.steps().size() + " steps");
            assertEquals(length, searched.steps().size(), where + "from the rough walk");
            assertTrue(violatesAtItsEnd(model, invariant, searched.steps()));
        }

        // The trace's own scope: the CPUs, SMMUs and pages it names, and the fewest frames it still fails with.
        for (Scope own : Shortest.traceScope(model, invariant, best.steps())) {
            int[] named = {0, 0, 0};
            for (Step s : best.steps()) {
                StepRewrites.rename(s, i -> { named[0] = Math.max(named[0], i + 1); return i; },
                        i -> { named[1] = Math.max(named[1], i + 1); return i; }, i -> { named[2] = Math.max(named[2], i + 1); return i; });
            }
            assertEquals(named[0], own.cpus(), where + own);
            assertEquals(Math.max(named[1], model.scope().range()), own.pages(), where + own);
            assertTrue(own.frames() <= model.scope().frames());
            assertTrue(violatesAtItsEnd(new Model(model.variant(), own), invariant, best.steps()), where + "not in " + own);
            Scope fewer;
            try {
                fewer = new Scope(own.cpus(), own.smmus(), own.pages(), own.frames() - 1, own.range(), own.aliases());
            } catch (IllegalArgumentException tooFew) {
                continue; // no scope has fewer frames for these pages
            }
            assertFalse(violatesAtItsEnd(new Model(model.variant(), fewer), invariant, best.steps()), where + "also in " + fewer);
        }
    }

    /**
     * Whether the steps replay, every one taken, to a violation at the last: {@code Shortest}'s own test, written out
     * again rather than called, so that the search's choice of scope is not judged by the predicate it chose with.
     */
    private static boolean violatesAtItsEnd(Model model, Invariant invariant, Array<Step> steps) {
        try {
            Replay.Outcome r = Replay.run(model, steps, java.util.List.of(invariant));
            return r.violation().isDefined() && r.transitions().size() == steps.size();
        } catch (RuntimeException e) {
            return false;
        }
    }
}
