package tlbcheck.model.step;

import io.vavr.control.Option;
import tlbcheck.model.Model;
import tlbcheck.model.State;
import tlbcheck.model.Transition;

/**
 * One atomic transition of the whole machine: a hardware action or one op of a kernel procedure.
 * Every nondeterministic choice (which CPU, which page, which entry) is a field, so a list of steps
 * replays exactly. A step that is not enabled is refused with a reason, never ignored.
 */
public sealed interface Step
        permits CpuFill, CpuEvict, CpuAccess, SmmuFill, SmmuEvict, DeviceIssue, DeviceAccess,
                Start, HandleDeviceFault, Advance, VcpuFill, VcpuEvict, VcpuAccess, AtcFill, AtcEvict {

    /** Why the step cannot be taken in this state; none when it can. */
    Option<String> refusal(Model model, State state);

    /**
     * Whether the step can be taken: the same predicate as {@link #refusal}, without building the
     * reason. The generator asks this millions of times a second.
     */
    default boolean enabled(Model model, State state) {
        return refusal(model, state).isEmpty();
    }

    /** Takes the step. Only called when {@link #refusal} is none. */
    Transition fire(Model model, State state);

    /** The lane the step belongs to: "CPU0", "SMMU0", "DEV0". */
    String actor();

    /** What the step does, for a reader: the op name for kernel steps. */
    String describe(Model model, State before);

    /** A short name of the kind of step, for coverage counts and swarm testing. */
    default String kind() {
        return getClass().getSimpleName();
    }

    static Option<String> checkIndex(String what, int index, int count) {
        return index < 0 || index >= count
                ? Option.some(what + " " + index + " is not in the scope (it has " + count + ")")
                : Option.none();
    }
}
