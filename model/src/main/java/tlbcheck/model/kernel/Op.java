package tlbcheck.model.kernel;

import io.vavr.control.Option;
import tlbcheck.model.Model;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/**
 * One atomic step of a kernel procedure, run by the CPU the procedure is on. An op is a pure
 * function of the state; an op that cannot run yet (a lock is held, no frame is free) is refused
 * with a reason, and the procedure waits.
 */
public interface Op {

    /** The kernel's name for the step, as a reviewer would write it in a mail. */
    String name();

    default Option<String> refusal(Model model, State state, int cpu, Running running) {
        return Option.none();
    }

    /**
     * A silent op runs within the step before it rather than as a step of its own: it only reads
     * state the procedure already holds the lock for, so no other actor can tell the difference,
     * and leaving it out of the interleavings keeps exhaustive search small.
     */
    default boolean silent() {
        return false;
    }

    /** Whether the op can run now: {@link #refusal} without the reason. */
    default boolean ready(Model model, State state, int cpu, Running running) {
        return refusal(model, state, cpu, running).isEmpty();
    }

    /** Runs the op; returns the state with this CPU's procedure moved on (normally {@code running.next()}). */
    State apply(Model model, State state, int cpu, Running running);
}
