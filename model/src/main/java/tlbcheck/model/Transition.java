package tlbcheck.model;

import io.vavr.control.Option;
import tlbcheck.model.step.Step;

/**
 * One step taken: the states on either side, and what happened that the states alone do not show.
 *
 * @param completed the procedure that finished in this step, with its final counters
 * @param accessedFrame the frame a CPU or device access reached in this step, or -1
 */
public record Transition(State before, Step step, State after, Option<Running> completed, int accessedFrame) {

    public static Transition of(State before, Step step, State after) {
        return new Transition(before, step, after, Option.none(), -1);
    }
}
