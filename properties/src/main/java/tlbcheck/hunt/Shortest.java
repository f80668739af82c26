package tlbcheck.hunt;

import io.vavr.collection.Array;
import tlbcheck.explore.ExploreResult;
import tlbcheck.explore.Explorer;
import tlbcheck.model.Model;
import tlbcheck.model.invariant.Invariant;
import tlbcheck.model.step.Step;

/**
 * After shrinking: breadth-first search of the hunt's own scope, bounded by the shrunk trace's length and by a
 * count of states, so a reviewer gets a shortest counterexample where one exists in reach. Delta debugging keeps
 * the path the random walk took; a shorter path through other steps is found only by search. The two also check
 * each other: a search that covers every run up to the shrunk length and finds no violation means one of them is
 * wrong, and that fails loudly.
 */
public final class Shortest {

    /** The shrinker's output, not compared with any search. */
    public static final String NOT_SEARCHED = "not searched";
    /** No run of the scope is shorter: breadth-first search to one step less found none. */
    public static final String PROVEN = "shortest (breadth-first search found none shorter)";
    /** Breadth-first search found a shorter run than the shrinker and replaced it. */
    public static final String FOUND = "shortest (found by breadth-first search, shorter than the shrunk walk)";

    /** States the search may store: a count, so the result never depends on the machine's load. */
    public static final long MAX_STATES = 1_000_000;

    private Shortest() {}

    public static Shrinker.Result of(Model model, Invariant invariant, Shrinker.Result shrunk) {
        return of(model, invariant, shrunk, MAX_STATES);
    }

    public static Shrinker.Result of(Model model, Invariant invariant, Shrinker.Result shrunk, long maxStates) {
        int length = shrunk.steps().size();
        ExploreResult e = Explorer.explore(model, invariant,
                Explorer.Config.defaults().withMaxDepth(length).withMaxStates(maxStates).withSeconds(120));
        if (e.violated()) {
            Array<Step> trace = e.trace().get();
            if (trace.size() > length) {
                throw new IllegalStateException("breadth-first search found its first violation of " + invariant.name()
                        + " at " + trace.size() + " steps, after the shrunk trace's " + length + ": the explorer or the"
                        + " hunt is wrong (" + model.variant().name() + ", scope " + model.scope() + ")");
            }
            if (trace.size() == length) return shrunk.withShortest(shrunk.steps(), shrunk.violation(), PROVEN);
            var v = TraceCheck.verify(model, invariant, trace, "shortest");
            return shrunk.withShortest(trace, v, FOUND);
        }
        if (e.stoppedBy().equals("depth") || e.complete()) {
            throw new IllegalStateException("the shrunk trace violates " + invariant.name() + " in " + length
                    + " steps, but breadth-first search of every run up to " + length + " steps found no violation:"
                    + " the explorer or the hunt is wrong (" + model.variant().name() + ", scope " + model.scope() + ")");
        }
        return shrunk.withShortest(shrunk.steps(), shrunk.violation(), "not proven shortest (breadth-first search"
                + " stopped by its " + e.stoppedBy() + " bound at depth " + e.depth() + " of " + length + ")");
    }
}
