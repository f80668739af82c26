package tlbcheck.model.kernel;

import static tlbcheck.model.kernel.PteCondition.INVALID;
import static tlbcheck.model.kernel.PteCondition.READ_ONLY;
import static tlbcheck.model.kernel.PteCondition.VALID;
import static tlbcheck.model.kernel.PteCondition.WRITE_FAULT_ON_READ_ONLY;

import tlbcheck.model.Perm;

/**
 * The arm64 mm paths that decide where secondary-TLB invalidation sits: the heart of the variants
 * (model/README.md, "Procedures and their sources"). Each field is a named run of ops; {@link #kernel} assembles the standard
 * procedures from them. A patch under review is a copy with one field replaced.
 *
 * @param ptepSetAccessFlags the permission upgrade: PTE RO->RW and its flush
 * @param flushTlbRange the flush after a write-protect ({@code change_protection})
 * @param tlbFlushMmu the {@code mmu_gather} flush after zapping PTEs
 * @param ptepClearFlush clear-and-flush used by migration and COW break
 * @param rangeStart {@code mmu_notifier_invalidate_range_start}, with whatever subscribers do there
 * @param rangeEnd {@code mmu_notifier_invalidate_range_end}, with whatever it calls
 * @param iopfResume what the SMMU driver does when it has resolved a device fault
 */
public record MmPaths(String name, Seq ptepSetAccessFlags, Seq flushTlbRange, Seq tlbFlushMmu,
                      Seq ptepClearFlush, Seq rangeStart, Seq rangeEnd, Seq iopfResume) {

    static final Seq RANGE_START = Seq.of("invalidate_range_start", RangeStart.INSTANCE);

    /**
     * Linux 6.4: invalidate_range runs from the *_clear_flush_notify helpers, after the mmu_gather
     * flush and from every invalidate_range_end; never from the arch flush, so never from arm64's
     * ptep_set_access_flags.
     */
    public static final MmPaths LINUX_6_4 = new MmPaths("linux-6.4",
            Seq.of("ptep_set_access_flags", SetPteWritable.INSTANCE, FlushTlbPage.broadcast("flush_tlb_page")),
            // change_protection gathers with mmu_gather since 6.2: its flush is tlb_flush_mmu_tlbonly, which in
            // 6.4 also calls mmu_notifier_invalidate_range (so an mprotect notifies from here and from range_end).
            Seq.of("flush_tlb_range", FlushTlbPage.broadcast("tlb_flush_mmu_tlbonly"),
                    NotifySecondary.withFlush("tlb_flush_mmu_tlbonly->invalidate_range")),
            Seq.of("tlb_flush_mmu", FlushTlbPage.broadcast("tlb_flush_mmu"),
                    NotifySecondary.withFlush("tlb_flush_mmu_tlbonly->invalidate_range")),
            // try_to_migrate_one uses plain ptep_clear_flush in 6.4 ("No need to invalidate here": the
            // secondary invalidation comes from invalidate_range_end); ptep_clear_flush_notify is COW's.
            Seq.of("ptep_clear_flush (try_to_migrate_one)", ClearPte.MIGRATION, FlushTlbPage.broadcast("ptep_clear_flush")),
            RANGE_START,
            Seq.of("invalidate_range_end", NotifySecondary.always("range_end->invalidate_range"), RangeEnd.INSTANCE),
            Seq.of("iopf resume", ResumeDevice.INSTANCE));

    /**
     * Linux 6.6 (seed 001): arch_invalidate_secondary_tlbs runs from the arm64 arch flush points,
     * 1:1 with CPU flushes, and no longer from invalidate_range_end.
     */
    public static final MmPaths LINUX_6_6 = new MmPaths("linux-6.6",
            Seq.of("ptep_set_access_flags", SetPteWritable.INSTANCE, FlushTlbPage.broadcast("flush_tlb_page"),
                    NotifySecondary.withFlush("flush_tlb_page->arch_invalidate_secondary_tlbs")),
            Seq.of("flush_tlb_range", FlushTlbPage.broadcast("__flush_tlb_range"),
                    NotifySecondary.withFlush("__flush_tlb_range->arch_invalidate_secondary_tlbs")),
            Seq.of("tlb_flush_mmu", FlushTlbPage.broadcast("tlb_flush_mmu"),
                    NotifySecondary.withFlush("__flush_tlb_range->arch_invalidate_secondary_tlbs")),
            Seq.of("ptep_clear_flush", ClearPte.MIGRATION, FlushTlbPage.broadcast("flush_tlb_page"),
                    NotifySecondary.withFlush("flush_tlb_page->arch_invalidate_secondary_tlbs")),
            RANGE_START,
            Seq.of("invalidate_range_end", RangeEnd.INSTANCE),
            Seq.of("iopf resume", ResumeDevice.INSTANCE));

    public MmPaths named(String newName) {
        return new MmPaths(newName, ptepSetAccessFlags, flushTlbRange, tlbFlushMmu, ptepClearFlush, rangeStart, rangeEnd, iopfResume);
    }

    public MmPaths withPtepSetAccessFlags(Seq ops) {
        return new MmPaths(name, ops, flushTlbRange, tlbFlushMmu, ptepClearFlush, rangeStart, rangeEnd, iopfResume);
    }

    public MmPaths withFlushTlbRange(Seq ops) {
        return new MmPaths(name, ptepSetAccessFlags, ops, tlbFlushMmu, ptepClearFlush, rangeStart, rangeEnd, iopfResume);
    }

    public MmPaths withTlbFlushMmu(Seq ops) {
        return new MmPaths(name, ptepSetAccessFlags, flushTlbRange, ops, ptepClearFlush, rangeStart, rangeEnd, iopfResume);
    }

    public MmPaths withPtepClearFlush(Seq ops) {
        return new MmPaths(name, ptepSetAccessFlags, flushTlbRange, tlbFlushMmu, ops, rangeStart, rangeEnd, iopfResume);
    }

    public MmPaths withRangeStart(Seq ops) {
        return new MmPaths(name, ptepSetAccessFlags, flushTlbRange, tlbFlushMmu, ptepClearFlush, ops, rangeEnd, iopfResume);
    }

    public MmPaths withRangeEnd(Seq ops) {
        return new MmPaths(name, ptepSetAccessFlags, flushTlbRange, tlbFlushMmu, ptepClearFlush, rangeStart, ops, iopfResume);
    }

    public MmPaths withIopfResume(Seq ops) {
        return new MmPaths(name, ptepSetAccessFlags, flushTlbRange, tlbFlushMmu, ptepClearFlush, rangeStart, rangeEnd, ops);
    }

    /** The standard procedures (model/README.md), with the secondary invalidation where these paths put it. */
    public Procedure procedure(String procedure) {
        return kernel().find(procedure).getOrElseThrow(() -> new IllegalArgumentException("no procedure " + procedure));
    }

    public Kernel kernel() {
        return Kernel.of(name,
                // do_page_fault -> wp_page_reuse: a CPU write to a read-only PTE of a writable VMA.
                Procedure.of("fault_upgrade", Trigger.PTE_READ_ONLY,
                        MmapLock.READ, PtlLock.INSTANCE,
                        When.of(READ_ONLY, ptepSetAccessFlags),
                        PtlUnlock.INSTANCE, MmapUnlock.READ),
                // mprotect / fork / KSM write-protect.
                Procedure.ranged("write_protect", Trigger.ANY,
                        MmapLock.WRITE, rangeStart, PtlLock.INSTANCE,
                        WriteProtectPte.INSTANCE, flushTlbRange, PtlUnlock.INSTANCE,
                        rangeEnd, MmapUnlock.WRITE),
                // munmap / zap: the flush comes from mmu_gather, the frame is freed after it.
                Procedure.ranged("unmap", Trigger.ANY,
                        MmapLock.WRITE, rangeStart, PtlLock.INSTANCE,
                        ClearPte.UNMAP, PtlUnlock.INSTANCE, tlbFlushMmu,
                        rangeEnd, FreeOldFrame.INSTANCE, MmapUnlock.WRITE),
                // migrate_pages: try_to_migrate_one installs the migration entry inside its own notifier range
                // (rmap walk, no mmap lock) and closes it before move_to_new_folio copies the page;
                // remove_migration_ptes installs the new PTE later, outside any range.
                Procedure.of("migrate", Trigger.PTE_VALID,
                        rangeStart, PtlLock.INSTANCE,
                        When.of(VALID, ptepClearFlush),
                        PtlUnlock.INSTANCE, rangeEnd, CopyToNewFrame.INSTANCE,
                        PtlLock.INSTANCE, new SetPteNewFrame(Perm.RO), PtlUnlock.INSTANCE,
                        FreeOldFrame.INSTANCE),
                // do_anonymous_page: an access to an unmapped page.
                Procedure.of("map", Trigger.PTE_INVALID,
                        MmapLock.READ, When.of(INVALID, AllocFrame.INSTANCE),
                        PtlLock.INSTANCE, When.of(INVALID, MapNewFrame.INSTANCE), ReleaseUnusedFrame.INSTANCE,
                        PtlUnlock.INSTANCE, MmapUnlock.READ),
                // iommu_sva_handle_iopf -> handle_mm_fault, then the page response.
                Procedure.of("iopf", Trigger.DEVICE_FAULT,
                        MmapLock.READ, When.of(INVALID, AllocFrame.INSTANCE), PtlLock.INSTANCE,
                        When.of(INVALID, MapNewFrame.INSTANCE), ReleaseUnusedFrame.INSTANCE,
                        When.of(WRITE_FAULT_ON_READ_ONLY, ptepSetAccessFlags),
                        PtlUnlock.INSTANCE, MmapUnlock.READ, iopfResume));
    }
}
