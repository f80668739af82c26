package tlbcheck.model.kernel;

import io.vavr.control.Option;
import tlbcheck.model.Model;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/** {@code write_lock(&kvm->mmu_lock)} / {@code write_unlock}. */
public record KvmLock(boolean take) implements Op {

    public static final KvmLock LOCK = new KvmLock(true);
    public static final KvmLock UNLOCK = new KvmLock(false);

    @Override
    public boolean bookkeeping() {
        return true;
    }

    @Override
    public String name() {
        return take ? "lock mmu_lock" : "unlock mmu_lock";
    }

    @Override
    public Option<String> refusal(Model model, State state, int cpu, Running running) {
        return take && state.kvm().mmuLock() ? Option.some("mmu_lock is held") : Option.none();
    }

    @Override
    public boolean ready(Model model, State state, int cpu, Running running) {
        return !take || !state.kvm().mmuLock();
    }

    @Override
    public State apply(Model model, State state, int cpu, Running running) {
        return state.withKvm(state.kvm().withMmuLock(take)).withRunning(cpu, running.next());
    }
}
