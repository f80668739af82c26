package tlbcheck.model.kernel;

import tlbcheck.model.Model;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/**
 * {@code tlb_finish_mmu}'s answer to a gather running in parallel (99baac21e458): when {@code mm_tlb_flush_nested}
 * (more than one mmu_gather pending), it flushes the whole address space ({@code tlb->fullmm}), whether or not this
 * gather changed a PTE, because a concurrent zap may have cleared the PTEs this one found empty and not flushed yet.
 * One TLBI by ASID, broadcast; with {@code secondary}, the notifier call the gather's flush makes (Linux 6.4:
 * {@code tlb_flush_mmu_tlbonly} -> {@code mmu_notifier_invalidate_range}; 6.6: {@code flush_tlb_mm} ->
 * {@code arch_invalidate_secondary_tlbs}), one command for the whole ASID.
 *
 * @param folded whether it runs within the step before it ({@link #folded}) rather than as a step of its own
 */
public record FlushTlbMmIfNested(boolean secondary, boolean folded) implements Op {

    /** The check as a step of its own, where the catalogue's madvise has it. */
    public FlushTlbMmIfNested(boolean secondary) {
        this(secondary, false);
    }

    /**
     * The check within the step before it: munmap's {@code tlb_finish_mmu}, where no other gather can be pending
     * unless a zap that takes no mmap lock runs (a truncate's {@code unmap_mapping_range}), so that the check costs the
     * search no step where it does nothing. Where it flushes, the flush runs with the step before it, no later than the
     * kernel's (model/README.md, deliberate differences).
     */
    public static FlushTlbMmIfNested folded(boolean secondary) {
        return new FlushTlbMmIfNested(secondary, true);
    }

    @Override
    public boolean silent() {
        return folded;
    }

    @Override
    public String name() {
        return "tlb_finish_mmu: mm_tlb_flush_nested -> flush_tlb_mm (TLBI ASIDE1IS" + (secondary ? ", + secondary)" : ")");
    }

    @Override
    public String describe(Model model, State state, int cpu, Running running) {
        return model.platform().x86() ? "tlb_finish_mmu: mm_tlb_flush_nested -> flush_tlb_mm (IPI + CR3 reload"
                + (secondary ? ", + secondary)" : ")") : name();
    }

    @Override
    public boolean invalidates() {
        return true;
    }

    @Override
    public String skipReason(Model model, State state, int cpu, Running running) {
        return "no other mmu_gather is pending (tlb_flush_pending " + state.locks().tlbFlushPending() + ")";
    }

    @Override
    public State apply(Model model, State state, int cpu, Running running) {
        if (state.locks().tlbFlushPending() <= 1) return state.withRunning(cpu, running.next());
        boolean btm = model.platform().btm();
        State s = state;
        for (int page = 0; page < s.pages(); page++) {
            s = s.broadcastTlbi(page, btm);
            if (secondary && !btm) s = s.invalidateSmmus(page);
        }
        Running r = s.running(cpu).get().flushed(1);
        return s.withRunning(cpu, (secondary ? r.invalidatedSecondary(1) : r).next());
    }
}
