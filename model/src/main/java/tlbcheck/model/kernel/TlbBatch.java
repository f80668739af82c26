package tlbcheck.model.kernel;

import tlbcheck.model.Model;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/**
 * Reclaim's batched TLB flush and the paths that must complete it. {@link #SET_PENDING} is
 * {@code set_tlb_ubc_flush_pending}: {@code try_to_unmap_one} cleared a PTE and leaves its flush to
 * {@code try_to_unmap_flush} later, marking the mm ({@code mm->tlb_flush_batched}). {@link #FLUSH_PENDING} is
 * {@code flush_tlb_batched_pending}, which mprotect, madvise, munmap and mremap call under the page-table lock
 * (3ea277194daa): if a batch is pending, flush the whole mm and clear the mark, so a PTE they find already
 * cleared by reclaim has no TLB entry left behind it.
 */
public record TlbBatch(boolean set) implements Op {

    public static final TlbBatch SET_PENDING = new TlbBatch(true);
    public static final TlbBatch FLUSH_PENDING = new TlbBatch(false);

    @Override
    public String name() {
        return set ? "set_tlb_ubc_flush_pending" : "flush_tlb_batched_pending";
    }

    @Override
    public boolean invalidates() {
        return !set;
    }

    /**
     * The flush runs in the same step as the lock before it. Only a batch of a page under this lock concerns the
     * caller's promise, and reclaim needs that lock to clear such a page, so taking the two apart adds runs but no
     * behaviour; kept together, paths that never meet a batched reclaim keep their state space.
     */
    @Override
    public boolean silent() {
        return !set;
    }

    @Override
    public String skipReason(Model model, State state, int cpu, Running running) {
        return "no reclaim flush is batched (mm->tlb_flush_batched clear)";
    }

    @Override
    public State apply(Model model, State state, int cpu, Running running) {
        if (set) {
            return state.withLocks(state.locks().withTlbFlushBatched(true)).withRunning(cpu, running.next());
        }
        if (!state.locks().tlbFlushBatched()) return state.withRunning(cpu, running.next());
        State s = state;
        for (int page = 0; page < s.pages(); page++) s = s.broadcastTlbi(page, model.platform().btm());
        s = s.withLocks(s.locks().withTlbFlushBatched(false));
        return s.withRunning(cpu, s.running(cpu).get().flushed().next());
    }
}
