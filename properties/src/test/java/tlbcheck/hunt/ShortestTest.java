package tlbcheck.hunt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vavr.collection.Array;
import io.vavr.control.Option;
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

        // The trace's own scope: the CPUs, SMMUs and pages it names, and the fewest frames it still fails with; none
        // when that is the hunt's scope.
        int[] named = {0, 0, 0};
        for (Step s : best.steps()) {
            StepRewrites.rename(s, i -> { named[0] = Math.max(named[0], i + 1); return i; },
                    i -> { named[1] = Math.max(named[1], i + 1); return i; }, i -> { named[2] = Math.max(named[2], i + 1); return i; });
        }
        Scope hunt = model.scope();
        int smmus = hunt.smmus() == 0 ? 0 : Math.max(1, named[2]);
        int pages = Math.max(named[1], hunt.range());
        int frames = hunt.frames();
        while (frames > 1 && fits(pages, frames - 1)
                && violatesAtItsEnd(new Model(model.variant(), new Scope(named[0], smmus, pages, frames - 1, hunt.range(), 0,
                        Math.min(hunt.writable(), pages))),
                        invariant, best.steps())) {
            frames--;
        }
        Scope own = new Scope(named[0], smmus, pages, frames, hunt.range(), hunt.aliases(), Math.min(hunt.writable(), pages));
        assertTrue(violatesAtItsEnd(new Model(model.variant(), own), invariant, best.steps()), where + "not in " + own);
        assertEquals(own.equals(hunt) ? Option.none() : Option.some(own), Shortest.traceScope(model, invariant, best.steps()),
                where + "the trace's own scope");
    }

    /**
     * The hunt's scope too large for the search's bound on states, the trace's own scope small enough: the answer
     * is the own scope's shortest run, and says it is not proven shortest in the hunt's scope. The bound is drawn from
     * the number of states the own scope's search stores, so the row stays right as the explorer's reductions change.
     */
    @ParameterizedTest(name = "{0} invariant {1}")
    @CsvSource({"V1-cow, 1"})
    void aBoundTheHuntsScopeOutgrowsKeepsTheOwnScopesShortest(String variant, int number) {
        Model model = new Model(Catalogues.get().variant(variant));
        Invariant invariant = Invariants.all().find(i -> i.number() == number).get();
        HuntResult found = Hunt.search(model, invariant, HuntConfig.quick(7));
        String where = variant + " / " + invariant.name() + ": ";
        Shrinker.Result rough = new Shrinker(model, invariant, 60, 1).shrink(found.walk());
        Scope own = Shortest.traceScope(model, invariant, rough.steps()).get();
        int depth = rough.steps().size() - 1;
        ExploreResult small = Explorer.explore(new Model(model.variant(), own), invariant,
                Explorer.Config.defaults().withMaxDepth(depth));
        assertTrue(small.violated(), where + "no shorter run in " + own);
        int shortest = small.trace().get().size();
        // The explorer checks its bound after each level: one state more than the own scope stores before its violating
        // level lets that search reach it, and stops the hunt's scope, with more states, a level earlier.
        long bound = Explorer.explore(new Model(model.variant(), own), invariant,
                Explorer.Config.defaults().withMaxDepth(shortest - 1)).states() + 1;
        ExploreResult large = Explorer.explore(model, invariant,
                Explorer.Config.defaults().withMaxDepth(shortest).withMaxStates(bound));
        assertFalse(large.violated() || large.complete(), where + "the hunt's scope fits the bound of " + bound
                + " states, so this test would not tell the two searches apart: " + large.verdict());

        Shrinker.Result r = Shortest.of(model, invariant, rough, bound);
        assertEquals(shortest, r.steps().size(), where + r.steps());
        assertTrue(violatesAtItsEnd(model, invariant, r.steps()), where + "does not break it in the hunt's scope");
        assertTrue(r.shortest().startsWith("shortest in the trace's own scope, not proven shortest (breadth-first search"
                + " stopped by its states bound"), where + r.shortest());
    }

    private static boolean fits(int pages, int frames) {
        try {
            new Scope(1, 0, pages, frames, 1, 0);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
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
