package tlbcheck.explore;

import io.vavr.collection.Array;
import io.vavr.control.Option;
import tlbcheck.model.Model;
import tlbcheck.model.invariant.Invariant;
import tlbcheck.model.invariant.Violation;
import tlbcheck.model.step.Step;

/**
 * What exhaustive search found.
 *
 * @param states distinct states (up to the renamings of {@link Symmetry} the search used)
 * @param transitions transitions explored, each checked against the invariant
 * @param depth the deepest level reached
 * @param complete whether the whole reachable space was explored
 * @param trace a shortest counterexample, when one exists
 * @param stoppedBy "exhausted", "violation", "depth", "states" or "time"
 * @param bytesPerState visited-set bytes plus the peak of the two frontiers, per distinct state
 * @param collisionOdds TLC's optimistic estimate that a fingerprint collision hid a state: n(l-n)/2^63 for n states
 *     of 63-bit fingerprints and l successors looked up (a transition back to its own state, or one a sleep set
 *     skipped, looks nothing up)
 * @param deadlocks reachable states in which no step at all is enabled while a procedure is in flight or a device
 *     waits (a modelling error: it is stuck for good); a state at rest where nothing can move is an end, not counted
 * @param slept transitions fired and checked whose successor was neither encoded nor looked up, because a sleep set
 *     showed it is reached by another order of the same steps ({@link Explorer})
 */
public record ExploreResult(Model model, Invariant invariant, long states, long transitions, int depth,
                            boolean complete, double seconds, Option<Array<Step>> trace, Option<Violation> violation,
                            String stoppedBy, double bytesPerState, double collisionOdds, long deadlocks,
                            Option<Array<Step>> deadlockTrace, long slept) {

    public boolean violated() {
        return violation.isDefined();
    }

    public String observed() {
        return violated() ? "violates" : "holds";
    }

    public double statesPerSecond() {
        return seconds > 0 ? states / seconds : 0;
    }

    public String verdict() {
        if (violated()) {
            return String.format("violates: shortest counterexample %d steps (%d states, depth %d)",
                    trace.get().size(), states, depth);
        }
        return String.format("holds: %d distinct states, %d transitions, depth %d, %s", states, transitions, depth,
                complete ? "exhaustive" : "holds to depth " + depth + " (stopped by " + stoppedBy + ")");
    }
}
