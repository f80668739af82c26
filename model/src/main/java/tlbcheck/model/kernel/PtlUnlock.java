package tlbcheck.model.kernel;

import tlbcheck.model.Model;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/** {@code pte_unmap_unlock}. */
public record PtlUnlock() implements Op {

    public static final PtlUnlock INSTANCE = new PtlUnlock();

    @Override
    public boolean bookkeeping() {
        return true;
    }

    @Override
    public String name() {
        return "pte_unmap_unlock";
    }

    @Override
    public State apply(Model model, State state, int cpu, Running running) {
        return state.withLocks(state.locks().withPtl(running.page(), false)).withRunning(cpu, running.next());
    }
}
