package tlbcheck.model.kernel;

import io.vavr.control.Option;
import tlbcheck.model.Locks;
import tlbcheck.model.Model;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/**
 * {@code inc_tlb_flush_pending} / {@code dec_tlb_flush_pending}: an mmu_gather announces that it may
 * change PTEs and flush them later (at {@code tlb_finish_mmu}), so that a racing path that sees a PTE
 * already changed knows a flush is still owed ({@code mm_tlb_flush_pending}, {@code mm_tlb_flush_nested}).
 */
public record TlbFlushPending(boolean inc) implements Op {

    public static final TlbFlushPending INC = new TlbFlushPending(true);
    public static final TlbFlushPending DEC = new TlbFlushPending(false);

    @Override
    public String name() {
        return inc ? "inc_tlb_flush_pending" : "dec_tlb_flush_pending";
    }

    @Override
    public Option<String> refusal(Model model, State state, int cpu, Running running) {
        int n = state.locks().tlbFlushPending();
        if (inc && n >= Locks.MAX_TLB_FLUSH_PENDING) return Option.some("tlb_flush_pending is at the model's bound " + n);
        if (!inc && n == 0) return Option.some("tlb_flush_pending is 0: a dec without its inc");
        return Option.none();
    }

    @Override
    public State apply(Model model, State state, int cpu, Running running) {
        int n = state.locks().tlbFlushPending();
        return state.withLocks(state.locks().withTlbFlushPending(inc ? n + 1 : n - 1)).withRunning(cpu, running.next());
    }
}
