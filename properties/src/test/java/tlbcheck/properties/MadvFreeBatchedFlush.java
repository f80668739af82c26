package tlbcheck.properties;

import io.vavr.collection.Array;
import io.vavr.control.Option;
import java.util.List;
import tlbcheck.model.Catalogue;
import tlbcheck.model.Scope;
import tlbcheck.model.Variant;
import tlbcheck.model.Variants;
import tlbcheck.model.invariant.Invariant;
import tlbcheck.model.kernel.ClearPte;
import tlbcheck.model.kernel.FlushTlbPage;
import tlbcheck.model.kernel.FreeOldFrame;
import tlbcheck.model.kernel.MmapLock;
import tlbcheck.model.kernel.MmapUnlock;
import tlbcheck.model.kernel.Op;
import tlbcheck.model.kernel.Procedure;
import tlbcheck.model.kernel.PtlLock;
import tlbcheck.model.kernel.PtlUnlock;
import tlbcheck.model.kernel.RmapLock;
import tlbcheck.model.kernel.TlbBatch;
import tlbcheck.model.kernel.TlbFlushPending;
import tlbcheck.model.kernel.Trigger;
import tlbcheck.model.kernel.WriteProtectPte;

/**
 * A public historical bug written through the extension API: the 2025 fix "mm: close theoretical race where stale
 * TLB entries could linger" (383c4613c67c). {@code madvise_free_pte_range} calls {@code flush_tlb_batched_pending}
 * after taking the page-table lock, then drops the lock to split a large folio and takes it again without calling
 * it a second time. Reclaim may clear the PTE in that gap and batch its flush; MADV_FREE then finds the PTE already
 * cleared, has nothing to do, and returns while a TLB still holds the writable entry: the user's next write goes
 * to a page reclaim is discarding. On arm64 with hardware dirty management, MADV_FREE's {@code pte_mkclean} makes
 * the PTE read-only to the hardware, so the model writes it as a write-protect.
 */
public final class MadvFreeBatchedFlush implements Catalogue {

    /** try_to_unmap_one with TTU_BATCH_FLUSH: clear the PTE, batch the flush, flush before freeing. */
    static final Procedure RECLAIM = Procedure.of("try_to_unmap_one", Trigger.PTE_VALID,
            RmapLock.READ, PtlLock.INSTANCE, Op.named("ptep_get_and_clear", ClearPte.RMAP_UNMAP), TlbBatch.SET_PENDING,
            PtlUnlock.INSTANCE, RmapLock.READ_UNLOCK, FlushTlbPage.broadcast("try_to_unmap_flush"), FreeOldFrame.INSTANCE);

    /** madvise(MADV_FREE) on one page whose folio it splits, with or without the second flush_tlb_batched_pending. */
    static Procedure madvFree(boolean fixed) {
        Op[] retake = fixed ? new Op[] {PtlLock.INSTANCE, TlbBatch.FLUSH_PENDING} : new Op[] {PtlLock.INSTANCE};
        return Procedure.of("madv_free", Trigger.ANY,
                MmapLock.READ, TlbFlushPending.INC, PtlLock.INSTANCE, TlbBatch.FLUSH_PENDING,
                Op.named("pte_unmap_unlock (split_folio)", PtlUnlock.INSTANCE),
                tlbcheck.model.kernel.Seq.of("pte_offset_map_lock again", retake),
                Op.named("pte_mkclean (arm64: read-only to the hardware)", WriteProtectPte.KEEPING_THE_BATCH_CONTRACT),
                // tlb_finish_mmu as it is since 99baac21e458: it flushes when another gather ran in parallel.
                PtlUnlock.INSTANCE, new MadvDontneedFlushMiss.TlbFinishMmu(true), TlbFlushPending.DEC, MmapUnlock.READ);
    }

    private static Variant variant(String name, String summary, boolean fixed) {
        Scope scope = Scope.of(2, 0, 1, 2);
        return Variants.V5.withKernel(name, summary, Variants.V5.kernel().plus(RECLAIM).plus(madvFree(fixed)))
                .withScopes(scope, scope);
    }

    static final Variant BUG = variant("madv-free-split-no-batched-flush",
            "MADV_FREE retakes the page-table lock after a folio split without flush_tlb_batched_pending", false);

    static final Variant FIX = variant("madv-free-split-batched-flush",
            "383c4613c67c: flush_tlb_batched_pending again after retaking the lock", true);

    @Override public String name() { return "worked-example-383c4613c67c"; }

    @Override public Array<Variant> variants() { return Array.of(BUG, FIX); }

    @Override public Option<String> expected(Variant variant, Invariant invariant) {
        if (invariant.number() == 2) return Option.some(variant == BUG ? Expected.VIOLATES : Expected.HOLDS);
        // Not a kernel memory-safety bug: reclaim flushes before it frees.
        return invariant.number() == 3 ? Option.some(Expected.HOLDS) : Option.none();
    }

    @Override public List<String> fixedBy(Variant variant, Invariant invariant) {
        return List.of(FIX.name());
    }
}
