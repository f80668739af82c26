package tlbcheck.model.kernel;

import io.vavr.control.Option;
import tlbcheck.model.Model;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/** A KVM op that takes and drops mmu_lock within itself, so it waits while a fault-in holds it. */
interface TakesMmuLock extends Op {

    @Override
    default Option<String> refusal(Model model, State state, int cpu, Running running) {
        return state.kvm().mmuLock() ? Option.some("mmu_lock is held") : Option.none();
    }

    @Override
    default boolean ready(Model model, State state, int cpu, Running running) {
        return !state.kvm().mmuLock();
    }
}
