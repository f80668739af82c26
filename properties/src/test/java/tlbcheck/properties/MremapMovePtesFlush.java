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
import tlbcheck.model.kernel.FlushTlbMmIfNested;
import tlbcheck.model.kernel.FlushTlbPage;
import tlbcheck.model.kernel.FreeOldFrame;
import tlbcheck.model.kernel.Kernel;
import tlbcheck.model.kernel.MmPaths;
import tlbcheck.model.kernel.MmapLock;
import tlbcheck.model.kernel.MmapUnlock;
import tlbcheck.model.kernel.MovePtes;
import tlbcheck.model.kernel.Op;
import tlbcheck.model.kernel.Procedure;
import tlbcheck.model.kernel.PtlLock;
import tlbcheck.model.kernel.PtlUnlock;
import tlbcheck.model.kernel.RmapLock;
import tlbcheck.model.kernel.Trigger;

/**
 * CVE-2018-18281, fixed by eb66ae030829 "mremap: properly flush TLB before releasing the page" (Linus Torvalds, 2018),
 * first written from the README by a first-time user. mremap's move_ptes() moves each PTE from the old address to the
 * new one under the old and new page-table locks, but until the fix the TLB flush of the old range came from
 * move_page_tables() after those locks were dropped. In that window another thread can truncate the file
 * (unmap_mapping_range: the i_mmap lock, not mmap_sem), zap the page at its new address, flush only the new address
 * and free the page, while a CPU still caches the old address's translation of it: a use after free through a stale
 * TLB entry. The fix flushes the old range in move_ptes() before dropping the page-table locks whenever it moved a
 * present PTE (force_flush).
 *
 * <p>A two-page range: page 0 the old address, page 1 the new one. Both start mapped, so a truncate empties page 1
 * first (standing in for MREMAP_FIXED's do_munmap of the destination); do_anonymous_page stands in for the file fault
 * that maps a page again. The built-in munmap composes with the truncate (it takes on and pays a truncate's flush):
 * with it the rows come out the same, but the fix's small scope has 245,601 states against 146,810, so the kernel has
 * only the paths the bug needs.
 * In the bug, a truncate of the old address also returns while a TLB still maps the page there: invariant 2.
 */
public final class MremapMovePtesFlush implements Catalogue {

    /** flush_tlb_range(vma, old_end - len, old_end): the old address only, the range's first page. */
    static final FlushTlbPage FLUSH_OLD_AFTER_UNLOCK =
            FlushTlbPage.broadcast("move_page_tables: flush_tlb_range(old)").firstPages(1);
    static final FlushTlbPage FLUSH_OLD_UNDER_PTL =
            FlushTlbPage.broadcast("move_ptes: force_flush -> flush_tlb_range(old)").firstPages(1);

    /** mremap -> move_vma -> move_page_tables -> move_ptes (4.19), need_rmap_locks false. */
    static Procedure mremap(boolean fixed) {
        return fixed
                ? Procedure.ranged("mremap", Trigger.PTE_VALID, MmapLock.WRITE, PtlLock.INSTANCE, MovePtes.INSTANCE,
                        FLUSH_OLD_UNDER_PTL, PtlUnlock.INSTANCE, MmapUnlock.WRITE)
                : Procedure.ranged("mremap", Trigger.PTE_VALID, MmapLock.WRITE, PtlLock.INSTANCE, MovePtes.INSTANCE,
                        PtlUnlock.INSTANCE, FLUSH_OLD_AFTER_UNLOCK, MmapUnlock.WRITE);
    }

    /**
     * ftruncate -> truncate_pagecache -> unmap_mapping_range (i_mmap_lock_read, no mmap_sem) -> zap_page_range_single:
     * an mmu_gather, the clear under the PTL, tlb_finish_mmu (the whole mm flushed when another gather is pending, as
     * a zap that finds a PTE another zap cleared owes that zap's flush; no secondary TLB in this scope, so no notifier
     * call with it, where a version's paths.nestedFlush() would add one; then the gather's own flush); then
     * truncate_inode_pages drops the page cache's reference, the last one.
     */
    static final Procedure TRUNCATE = Procedure.of("truncate", Trigger.PTE_VALID,
            Op.named("i_mmap_lock_read", RmapLock.READ), MmPaths.TLB_GATHER_MMU, PtlLock.INSTANCE,
            Op.named("zap_pte_range: ptep_get_and_clear_full", ClearPte.UNMAP), PtlUnlock.INSTANCE,
            new FlushTlbMmIfNested(false), FlushTlbPage.broadcast("tlb_finish_mmu -> tlb_flush_mmu"),
            MmPaths.TLB_FINISH_MMU,
            Op.named("i_mmap_unlock_read", RmapLock.READ_UNLOCK),
            Op.named("truncate_inode_pages: put_page", FreeOldFrame.INSTANCE));

    static final Scope SCOPE = Scope.of(2, 0, 2, 2).withRange(2);

    private static Variant variant(String name, String summary, boolean fixed) {
        Kernel v5 = Variants.V5.kernel();
        Kernel kernel = Kernel.of(fixed ? "linux-4.19-mremap-fixed" : "linux-4.19-mremap", v5.find("map").get(),
                mremap(fixed), TRUNCATE);
        return Variants.V5.withKernel(name, summary, kernel).withScopes(SCOPE, SCOPE);
    }

    static final Variant BUG = variant("mremap-flush-after-ptl-drop",
            "CVE-2018-18281: move_ptes drops the PTLs before move_page_tables flushes the old range", false);

    static final Variant FIX = variant("mremap-flush-under-ptl",
            "eb66ae030829: move_ptes flushes the old range before dropping the PTLs when it moved a present PTE", true);

    @Override public String name() { return "mremap-cve-2018-18281"; }

    @Override public Array<Variant> variants() { return Array.of(BUG, FIX); }

    @Override public Option<String> expected(Variant variant, Invariant invariant) {
        switch (invariant.name()) {
            case "no-use-after-free": case "no-stale-access-after-restriction":
                return Option.some(variant == BUG ? Expected.VIOLATES : Expected.HOLDS);
            default: return Option.none();
        }
    }

    @Override public List<String> fixedBy(Variant variant, Invariant invariant) { return List.of(FIX.name()); }
}
