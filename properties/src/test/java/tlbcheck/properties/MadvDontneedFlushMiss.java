package tlbcheck.properties;

import io.vavr.collection.Array;
import io.vavr.control.Option;
import java.util.List;
import tlbcheck.model.Catalogue;
import tlbcheck.model.Model;
import tlbcheck.model.Running;
import tlbcheck.model.State;
import tlbcheck.model.Variant;
import tlbcheck.model.Variants;
import tlbcheck.model.invariant.Invariant;
import tlbcheck.model.invariant.NoStaleAccessAfterRestriction;
import tlbcheck.model.kernel.ClearPte;
import tlbcheck.model.kernel.FreeOldFrame;
import tlbcheck.model.kernel.MmapLock;
import tlbcheck.model.kernel.MmapUnlock;
import tlbcheck.model.kernel.Op;
import tlbcheck.model.kernel.Procedure;
import tlbcheck.model.kernel.PtlLock;
import tlbcheck.model.kernel.PtlUnlock;
import tlbcheck.model.kernel.TlbFlushPending;
import tlbcheck.model.kernel.Trigger;

/**
 * A public historical bug written through the extension API, as a user would: commit 99baac21e458
 * "mm: fix MADV_[FREE|DONTNEED] TLB flush miss problem". Two CPUs zap the same range under the mmap
 * read lock. The first clears the PTE and will flush at tlb_finish_mmu; the second finds the PTE
 * already clear, changes nothing, skips its flush and returns while a TLB still maps the page. The fix:
 * tlb_finish_mmu flushes when another mmu_gather is pending in parallel (mm_tlb_flush_nested).
 */
public final class MadvDontneedFlushMiss implements Catalogue {

    /** tlb_finish_mmu: flush what this gather changed; with the fix, flush anyway when gathers nest. */
    record TlbFinishMmu(boolean flushWhenNested) implements Op {
        @Override public String name() {
            return flushWhenNested ? "tlb_finish_mmu (flush if changed or mm_tlb_flush_nested)"
                    : "tlb_finish_mmu (flush if changed)";
        }

        @Override public boolean invalidates() { return true; }

        @Override public String skipReason(Model model, State state, int cpu, Running running) {
            return "this gather changed no PTE" + (flushWhenNested ? " and no other gather is pending" : "");
        }

        @Override public State apply(Model model, State state, int cpu, Running running) {
            boolean nested = flushWhenNested && state.locks().tlbFlushPending() > 1;
            if (!running.wrotePte() && !nested) return state.withRunning(cpu, running.next());
            State s = state.broadcastTlbi(running.page(), model.platform().btm()).invalidateSmmus(running.page());
            return s.withRunning(cpu, running.flushed().invalidatedSecondary().next());
        }
    }

    /** madvise(MADV_DONTNEED): zap_page_range with an mmu_gather, under the mmap read lock. */
    static Procedure madvDontneed(boolean fixed) {
        return Procedure.of("madv_dontneed", Trigger.ANY,
                MmapLock.READ, TlbFlushPending.INC, PtlLock.INSTANCE, ClearPte.UNMAP, PtlUnlock.INSTANCE,
                new TlbFinishMmu(fixed), TlbFlushPending.DEC, FreeOldFrame.INSTANCE, MmapUnlock.READ);
    }

    static final Variant BUG = Variants.V5.withKernel("madv-dontneed-flush-miss",
            "two MADV_DONTNEED on one range: the second returns without a flush (before 99baac21e458)",
            Variants.V5.kernel().plus(madvDontneed(false)));

    static final Variant FIX = Variants.V5.withKernel("madv-dontneed-flush-nested",
            "99baac21e458: tlb_finish_mmu flushes when mm_tlb_flush_nested",
            Variants.V5.kernel().plus(madvDontneed(true)));

    @Override public String name() { return "worked-example-99baac21e458"; }
    @Override public Array<Variant> variants() { return Array.of(BUG, FIX); }
    /**
     * Invariant 2, judged per procedure, is the rule: the second zap found the PTE cleared by the first and
     * took on its flush, so it may not return before that flush.
     */
    @Override public Option<String> expected(Variant variant, Invariant invariant) {
        if (invariant != NoStaleAccessAfterRestriction.INSTANCE) return Option.none();
        return Option.some(variant == BUG ? Expected.VIOLATES : Expected.HOLDS);
    }

    @Override public List<String> fixedBy(Variant variant, Invariant invariant) {
        return List.of(FIX.name());
    }
}
