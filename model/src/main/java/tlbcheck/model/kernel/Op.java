package tlbcheck.model.kernel;

import io.vavr.control.Option;
import tlbcheck.model.Model;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/**
 * One atomic step of a kernel procedure, run by the CPU the procedure is on: the extension point for
 * a behaviour no existing op has (see the README, "Writing an op").
 *
 * <p>The contract:
 * <ul>
 *   <li>{@link #apply} is a pure function of its arguments. It returns a new state (the inputs are
 *       immutable values) and moves the procedure on, normally with {@code running.next()}; it may jump
 *       ({@code running.jump(n)}) to skip ops. It reads anything in the state, and writes only what the
 *       kernel step it stands for writes, through the state's withers ({@code withPte}, {@code withCpuTlb},
 *       {@code broadcastTlbi}, {@code withFrame}, {@code withLocks}, {@code withKvm}).</li>
 *   <li>{@link #refusal} says why the op cannot run yet (a lock held elsewhere, no free frame); the CPU
 *       waits there and other steps run. It must not depend on anything but the state and the procedure's
 *       locals, so that the hunt, the explorer and replay agree.</li>
 *   <li>A PTE write records that the procedure owes maintenance: {@code running.wrote()}, with
 *       {@code owes(state.tlbsMadeStale(page, oldPte, newPte))} so invariants 1 and 2 can hold the procedure to it.</li>
 *   <li>{@link #name} is the kernel's name for the step, as a reviewer writes it in a mail. An op that
 *       may do nothing says so in {@link #skipReason}, so traces print "skipped: reason" instead of the
 *       name of something that did not happen.</li>
 * </ul>
 */
public interface Op {

    /** The kernel's name for the step, as a reviewer would write it in a mail. */
    String name();

    /** The op itself, under whatever name it is used ({@link Named} gives the op it wraps). */
    default Op unwrapped() {
        return this;
    }

    /** The op under the kernel's name for it where it is used (see {@link Named}). */
    static Op named(String kernelName, Op op) {
        return new Named(kernelName, op);
    }

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

    /** An invalidation (TLBI, SMMU command, notifier call): traces say what it dropped, or that it found nothing. */
    default boolean invalidates() {
        return false;
    }

    /**
     * Whether the op can make a faulting access possible (maps a page, grants write): a fault handler
     * that answers the fault before such an op of its own has run answers it before resolving it
     * (invariant 8).
     */
    default boolean resolvesFault() {
        return false;
    }

    /**
     * Why this op can never do its work at this position of this procedure (for example a recheck of a
     * trigger that the procedure's way of being entered never has), or none. Checked when the procedure
     * is built ({@code procedure} gives its name and trigger), so such a mistake is an error naming the procedure and the op instead of a path that
     * silently does nothing.
     */
    default Option<String> misplaced(Procedure procedure, int index) {
        return Option.none();
    }

    /** How traces name the op when it runs in this state (default: {@link #name}). */
    default String describe(Model model, State state, int cpu, Running running) {
        return name();
    }

    /**
     * Whether the op only synchronises or steers (takes or drops a lock, checks, jumps) and changes
     * nothing another actor can observe. A procedure made only of such ops can end without any effect;
     * it is refused when built.
     */
    default boolean bookkeeping() {
        return false;
    }

    /** Whether the op can run now: {@link #refusal} without the reason. */
    default boolean ready(Model model, State state, int cpu, Running running) {
        return refusal(model, state, cpu, running).isEmpty();
    }

    /**
     * Why the op, about to run in this state, will change nothing but the procedure's position: printed
     * as "skipped: ..." in traces. Called only when that is so; the default covers a condition the op's
     * name already states.
     */
    default String skipReason(Model model, State state, int cpu, Running running) {
        return "nothing to do";
    }

    /**
     * Whether the op, run from {@code state} to {@code after}, was skipped: by default, when it changed nothing but the
     * procedure's position. An invalidation that was sent and found nothing cached overrides it: traces say
     * "-> nothing cached" for it, not "skipped".
     */
    default boolean skipped(Model model, State state, State after, int cpu, Running running) {
        return after.equals(state.withRunning(cpu, running.next()));
    }

    /** Runs the op; returns the state with this CPU's procedure moved on (normally {@code running.next()}). */
    State apply(Model model, State state, int cpu, Running running);
}
