package tlbcheck.model.kernel;

import tlbcheck.model.Model;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/** {@code pte_unmap_unlock}: drops the page-table lock(s) {@link PtlLock} took. */
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
        var locks = state.locks();
        // The lock lives in the page-table page: if that page was moved meanwhile, so was the lock.
        for (int p = running.page(); p <= running.lastPage(); p++) locks = locks.withPtl(running.slot(p), false);
        return state.withLocks(locks).withRunning(cpu, running.next());
    }
}
