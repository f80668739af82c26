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
import tlbcheck.model.kernel.Op;
import tlbcheck.model.kernel.Procedure;
import tlbcheck.model.kernel.PtlLock;
import tlbcheck.model.kernel.PtlUnlock;
import tlbcheck.model.kernel.RmapLock;
import tlbcheck.model.kernel.TlbBatch;
import tlbcheck.model.kernel.Trigger;
import tlbcheck.model.kernel.WriteOut;

/**
 * Reclaim's deferred flush and the page's write-out (d950c9477d51, "mm: defer flush of writable TLB entries"). With
 * TTU_BATCH_FLUSH, {@code try_to_unmap_one} clears the PTE and leaves the TLB flush for later; a CPU that still caches
 * the page writable may store into it after the PTE is gone. {@code shrink_folio_list} therefore calls
 * {@code try_to_unmap_flush_dirty} before {@code pageout} writes a dirty page out: without it, a store that lands
 * after the write-out started is in memory reclaim then frees as clean, and it is lost (invariant 9). Reclaim still
 * flushes before it frees the frame, so nothing is used after it is freed (invariant 3).
 */
public final class ReclaimWriteOut implements Catalogue {

    /** try_to_unmap_one with TTU_BATCH_FLUSH, pageout, then the batch's flush and the free; or the flush before pageout. */
    static Procedure reclaim(boolean flushDirty) {
        Op[] unmap = {RmapLock.READ, PtlLock.INSTANCE, Op.named("ptep_get_and_clear", ClearPte.RMAP_UNMAP),
            TlbBatch.SET_PENDING, PtlUnlock.INSTANCE, RmapLock.READ_UNLOCK};
        Op[] writeOut = flushDirty
                ? new Op[] {FlushTlbPage.broadcast("try_to_unmap_flush_dirty"), WriteOut.INSTANCE}
                : new Op[] {WriteOut.INSTANCE};
        Op[] free = {FlushTlbPage.broadcast("try_to_unmap_flush"), FreeOldFrame.INSTANCE};
        return Procedure.of("shrink_folio_list", Trigger.PTE_VALID,
                tlbcheck.model.kernel.Seq.of("try_to_unmap", unmap), tlbcheck.model.kernel.Seq.of("pageout", writeOut),
                tlbcheck.model.kernel.Seq.of("free", free));
    }

    /** One page, writable to begin with, so that a CPU can cache it writable before reclaim unmaps it. */
    static final Scope SCOPE = Scope.of(2, 0, 1, 2).withWritable(1);

    private static Variant variant(String name, String summary, boolean flushDirty) {
        return Variants.V5.withKernel(name, summary, Variants.V5.kernel().plus(reclaim(flushDirty)))
                .withScopes(SCOPE, SCOPE);
    }

    static final Variant BUG = variant("reclaim-pageout-before-flush",
            "reclaim writes a page out while the flush of its writable TLB entries is still deferred", false);

    static final Variant FIX = variant("reclaim-flush-dirty-before-pageout",
            "d950c9477d51: try_to_unmap_flush_dirty before pageout", true);

    @Override public String name() { return "worked-example-d950c9477d51"; }

    @Override public Array<Variant> variants() { return Array.of(BUG, FIX); }

    @Override public Option<String> expected(Variant variant, Invariant invariant) {
        if (invariant.number() == 9) return Option.some(variant == BUG ? Expected.VIOLATES : Expected.HOLDS);
        return invariant.number() == 2 || invariant.number() == 3 ? Option.some(Expected.HOLDS) : Option.none();
    }

    @Override public List<String> fixedBy(Variant variant, Invariant invariant) {
        return List.of(FIX.name());
    }
}
