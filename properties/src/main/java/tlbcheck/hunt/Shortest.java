package tlbcheck.hunt;

import io.vavr.collection.Array;
import tlbcheck.explore.ExploreResult;
import tlbcheck.explore.Explorer;
import io.vavr.control.Option;
import tlbcheck.model.Model;
import tlbcheck.model.Replay;
import tlbcheck.model.Scope;
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
    public static final long MAX_STATES = 4_000_000;
    /**
     * A time limit far above what {@link #MAX_STATES} takes (about 30 s on 2 cores), so the count is what stops the
     * search and its answer, shortest or not, does not depend on the machine's speed.
     */
    static final double SAFETY_SECONDS = 3600;

    private Shortest() {}

    public static Shrinker.Result of(Model model, Invariant invariant, Shrinker.Result shrunk) {
        return of(model, invariant, shrunk, MAX_STATES);
    }

    public static Shrinker.Result of(Model model, Invariant invariant, Shrinker.Result given, long maxStates) {
        Shrinker.Result shrunk = given;
        // First the trace's own scope (the fewest actors and frames it needs): small enough to search deep, and
        // a run found there is kept only if it replays to the same violation in the hunt's scope.
        // (Depth 0 means no bound to the explorer, so a one-step trace skips this: nothing is shorter.)
        for (Scope own : shrunk.steps().size() < 2 ? Option.<Scope>none() : traceScope(model, invariant, shrunk.steps())) {
            ExploreResult e = Explorer.explore(new Model(model.variant(), own), invariant, Explorer.Config.defaults()
                    .withMaxDepth(shrunk.steps().size() - 1).withMaxStates(maxStates).withSeconds(SAFETY_SECONDS));
            if (e.violated() && e.trace().get().size() < shrunk.steps().size() && violates(model, invariant, e.trace().get())) {
                Array<Step> shorter = e.trace().get();
                shrunk = shrunk.withShortest(shorter, TraceCheck.verify(model, invariant, shorter, "shortest"), FOUND);
            }
        }
        int length = shrunk.steps().size();
        ExploreResult e = Explorer.explore(model, invariant,
                Explorer.Config.defaults().withMaxDepth(length).withMaxStates(maxStates).withSeconds(SAFETY_SECONDS));
        if (e.violated()) {
            Array<Step> trace = e.trace().get();
            if (trace.size() > length) {
                throw new IllegalStateException("breadth-first search found its first violation of " + invariant.name()
                        + " at " + trace.size() + " steps, after the shrunk trace's " + length + ": the explorer or the"
                        + " hunt is wrong (" + model.variant().name() + ", scope " + model.scope() + ")");
            }
            if (trace.size() == length) {
                return shrunk.withShortest(shrunk.steps(), shrunk.violation(), shrunk.shortest().equals(FOUND) ? FOUND : PROVEN);
            }
            var v = TraceCheck.verify(model, invariant, trace, "shortest");
            return shrunk.withShortest(trace, v, FOUND);
        }
        if (e.stoppedBy().equals("depth") || e.complete()) {
            throw new IllegalStateException("the shrunk trace violates " + invariant.name() + " in " + length
                    + " steps, but breadth-first search of every run up to " + length + " steps found no violation:"
                    + " the explorer or the hunt is wrong (" + model.variant().name() + ", scope " + model.scope() + ")");
        }
        return shrunk.withShortest(shrunk.steps(), shrunk.violation(), (shrunk.shortest().equals(FOUND)
                ? "shortest in the trace's own scope, " : "") + "not proven shortest (breadth-first search"
                + " stopped by its " + e.stoppedBy() + " bound at depth " + e.depth() + " of " + length + ")");
    }

    /**
     * The fewest CPUs, SMMUs and pages the trace names, and the fewest frames with which it still violates, when that
     * is smaller than the hunt's scope; none where pages carry aliases (dropping a page would move them).
     */
    static Option<Scope> traceScope(Model model, Invariant invariant, Array<Step> trace) {
        Scope hunt = model.scope();
        if (hunt.aliases() > 0) return Option.none();
        int[] max = {0, 0, -1};
        for (Step s : trace) {
            StepRewrites.rename(s, i -> { max[0] = Math.max(max[0], i); return i; },
                    i -> { max[1] = Math.max(max[1], i); return i; }, i -> { max[2] = Math.max(max[2], i); return i; });
        }
        int cpus = max[0] + 1;
        int smmus = hunt.smmus() == 0 ? 0 : Math.max(1, max[2] + 1);
        int pages = Math.max(max[1] + 1, hunt.range());
        Option<Scope> found = Option.none();
        for (int frames = hunt.frames(); frames >= 1; frames--) {
            Scope s;
            try {
                s = hunt.narrowed(cpus, smmus, pages, frames);
            } catch (IllegalArgumentException e) {
                break;
            }
            if (!violates(new Model(model.variant(), s), invariant, trace)) break;
            found = Option.some(s);
        }
        return found.filter(s -> !s.equals(hunt));
    }

    /** Whether the trace replays in this model, every step taken, to a violation at its last step. */
    private static boolean violates(Model model, Invariant invariant, Array<Step> trace) {
        try {
            Replay.Outcome r = Replay.run(model, trace, java.util.List.of(invariant));
            return r.violation().isDefined() && r.transitions().size() == trace.size();
        } catch (RuntimeException e) { // a step the scope refuses
            return false;
        }
    }
}
