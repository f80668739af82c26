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
 * @param ptepClearFlushNotify the clear-and-flush of copy-on-write ({@code wp_page_copy}): with its notifier call
 *     where the version has one
 * @param rangeOnlyEnd how copy-on-write closes its notifier range ({@code mmu_notifier_invalidate_range_only_end}
 *     before 6.6: no secondary invalidation, {@code ptep_clear_flush_notify} sent it)
 */
public record MmPaths(String name, Seq ptepSetAccessFlags, Seq flushTlbRange, Seq tlbFlushMmu,
                      Seq ptepClearFlush, Seq rangeStart, Seq rangeEnd, Seq iopfResume,
                      Seq ptepClearFlushNotify, Seq rangeOnlyEnd) {

    static final Seq RANGE_START = Seq.of("invalidate_range_start", RangeStart.INSTANCE);

    /** {@code tlb_gather_mmu}: an mmu_gather begins and announces its deferred flush. */
    public static final Op TLB_GATHER_MMU = Op.named("tlb_gather_mmu -> inc_tlb_flush_pending", TlbFlushPending.INC);

    /** {@code tlb_finish_mmu}: the gather's flush is done (the flush op stands before it), the announcement withdrawn. */
    public static final Op TLB_FINISH_MMU = Op.named("tlb_finish_mmu -> dec_tlb_flush_pending", TlbFlushPending.DEC);

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
            Seq.of("iopf resume", ResumeDevice.INSTANCE),
            // wp_page_copy: ptep_clear_flush_notify = ptep_clear_flush + mmu_notifier_invalidate_range, under the PTL;
            // the range then closes with mmu_notifier_invalidate_range_only_end, which calls no invalidate_range.
            Seq.of("ptep_clear_flush_notify (wp_page_copy)", ClearPte.UNMAP, FlushTlbPage.broadcast("ptep_clear_flush"),
                    NotifySecondary.withFlush("ptep_clear_flush_notify->invalidate_range")),
            Seq.of("invalidate_range_only_end", Op.named("mmu_notifier_invalidate_range_only_end", RangeEnd.INSTANCE)));

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
            Seq.of("iopf resume", ResumeDevice.INSTANCE),
            // wp_page_copy (6.6): plain ptep_clear_flush, whose flush_tlb_page calls arch_invalidate_secondary_tlbs;
            // mmu_notifier_invalidate_range_only_end is gone, the range closes with invalidate_range_end.
            Seq.of("ptep_clear_flush (wp_page_copy)", ClearPte.UNMAP, FlushTlbPage.broadcast("flush_tlb_page"),
                    NotifySecondary.withFlush("flush_tlb_page->arch_invalidate_secondary_tlbs")),
            Seq.of("invalidate_range_end", RangeEnd.INSTANCE));

    public MmPaths named(String newName) {
        return new MmPaths(newName, ptepSetAccessFlags, flushTlbRange, tlbFlushMmu, ptepClearFlush, rangeStart, rangeEnd, iopfResume, ptepClearFlushNotify, rangeOnlyEnd);
    }

    /**
     * Every path with each of its ops rewritten by {@code f}: a change to every call site at once, e.g. an SVA driver
     * that invalidates the ATC before the TLB wherever the notifier calls it:
     * {@code paths.mapOps(op -> op instanceof NotifySecondary n ? Seq.of(n.site(), n.atcOnly(), n.withoutAtc()) : op)}. {@code f} sees each op as written (a {@link Op#named} one still named) and the ops of a
     * run inside a path one by one.
     */
    public MmPaths mapOps(java.util.function.UnaryOperator<Op> f) {
        return new MmPaths(name, map(ptepSetAccessFlags, f), map(flushTlbRange, f), map(tlbFlushMmu, f),
                map(ptepClearFlush, f), map(rangeStart, f), map(rangeEnd, f), map(iopfResume, f),
                map(ptepClearFlushNotify, f), map(rangeOnlyEnd, f));
    }

    private static Seq map(Seq seq, java.util.function.UnaryOperator<Op> f) {
        return new Seq(seq.name(), seq.ops().map(op -> op instanceof Seq inner ? map(inner, f) : f.apply(op)));
    }

    public MmPaths withPtepSetAccessFlags(Seq ops) {
        return new MmPaths(name, ops, flushTlbRange, tlbFlushMmu, ptepClearFlush, rangeStart, rangeEnd, iopfResume, ptepClearFlushNotify, rangeOnlyEnd);
    }

    public MmPaths withFlushTlbRange(Seq ops) {
        return new MmPaths(name, ptepSetAccessFlags, ops, tlbFlushMmu, ptepClearFlush, rangeStart, rangeEnd, iopfResume, ptepClearFlushNotify, rangeOnlyEnd);
    }

    public MmPaths withTlbFlushMmu(Seq ops) {
        return new MmPaths(name, ptepSetAccessFlags, flushTlbRange, ops, ptepClearFlush, rangeStart, rangeEnd, iopfResume, ptepClearFlushNotify, rangeOnlyEnd);
    }

    public MmPaths withPtepClearFlush(Seq ops) {
        return new MmPaths(name, ptepSetAccessFlags, flushTlbRange, tlbFlushMmu, ops, rangeStart, rangeEnd, iopfResume, ptepClearFlushNotify, rangeOnlyEnd);
    }

    public MmPaths withRangeStart(Seq ops) {
        return new MmPaths(name, ptepSetAccessFlags, flushTlbRange, tlbFlushMmu, ptepClearFlush, ops, rangeEnd, iopfResume, ptepClearFlushNotify, rangeOnlyEnd);
    }

    public MmPaths withRangeEnd(Seq ops) {
        return new MmPaths(name, ptepSetAccessFlags, flushTlbRange, tlbFlushMmu, ptepClearFlush, rangeStart, ops, iopfResume, ptepClearFlushNotify, rangeOnlyEnd);
    }

    public MmPaths withIopfResume(Seq ops) {
        return new MmPaths(name, ptepSetAccessFlags, flushTlbRange, tlbFlushMmu, ptepClearFlush, rangeStart, rangeEnd, ops, ptepClearFlushNotify, rangeOnlyEnd);
    }

    /**
     * munmap on arm64 ({@code do_vmi_align_munmap} -> {@code unmap_region}, Linux 6.4 and 6.6): the VMAs are detached
     * under {@code mmap_write_lock}, which is then downgraded to read; {@code tlb_gather_mmu}; {@code unmap_vmas}
     * opens the notifier range around {@code zap_pte_range}, which clears the PTEs under the PTL (flushing there
     * only when {@code force_flush}); the flush comes from {@code tlb_end_vma} (arm64 has no
     * {@code MMU_GATHER_MERGE_VMAS}), before the range ends; {@code tlb_finish_mmu} flushes the whole mm if another
     * gather is pending ({@link #tlbFinishMmuNested}), frees the gathered pages and drops {@code tlb_flush_pending}.
     * The write lock is kept to the end here: once the VMAs are detached no fault or madvise finds the range, so the
     * read lock admits nobody the write lock keeps out of it (model/README.md, deliberate differences).
     */
    public Procedure unmap() {
        return Procedure.ranged("unmap", Trigger.ANY,
                MmapLock.WRITE, TLB_GATHER_MMU, rangeStart, PtlLock.INSTANCE, TlbBatch.FLUSH_PENDING,
                ClearPte.UNMAP, PtlUnlock.INSTANCE, tlbFlushMmu,
                rangeEnd, tlbFinishMmuNested(), FreeOldFrame.INSTANCE, TLB_FINISH_MMU, MmapUnlock.WRITE);
    }

    /**
     * {@code tlb_finish_mmu}'s flush of the whole mm when another gather is pending (99baac21e458), folded into the
     * step before it ({@link FlushTlbMmIfNested#folded}): munmap holds the mmap write lock, so only a zap that takes no
     * mmap lock can be pending beside it, and a zap that found a PTE another such zap cleared and has not flushed yet
     * owes that flush ({@link ClearPte#UNMAP}). It notifies where this version's gather flush does.
     */
    FlushTlbMmIfNested tlbFinishMmuNested() {
        return FlushTlbMmIfNested.folded(nestedFlush().secondary());
    }

    /**
     * {@code tlb_finish_mmu}'s flush of the whole mm when another gather is pending, as a step of its own, notifying
     * where this version's gather flush does: what a zap of one's own with {@link ClearPte#UNMAP} and a gather
     * ({@link #TLB_GATHER_MMU} ... {@link #TLB_FINISH_MMU}) needs before its own flush, or two of them racing is
     * 99baac21e458's bug.
     */
    public FlushTlbMmIfNested nestedFlush() {
        return new FlushTlbMmIfNested(tlbFlushMmu.ops().exists(op -> op.unwrapped() instanceof NotifySecondary));
    }

    /**
     * munmap on x86 (Linux 6.4 and 6.6), which selects {@code MMU_GATHER_MERGE_VMAS}: {@code tlb_end_vma} does not
     * flush, so the gather's flush comes from {@code tlb_finish_mmu}, after {@code unmap_vmas} has closed the notifier
     * range, and frees the pages after it.
     */
    public Procedure unmapMergingVmas() {
        return Procedure.ranged("unmap", Trigger.ANY,
                MmapLock.WRITE, TLB_GATHER_MMU, rangeStart, PtlLock.INSTANCE, TlbBatch.FLUSH_PENDING,
                ClearPte.UNMAP, PtlUnlock.INSTANCE, rangeEnd, tlbFlushMmu,
                tlbFinishMmuNested(), FreeOldFrame.INSTANCE, TLB_FINISH_MMU, MmapUnlock.WRITE);
    }

    public MmPaths withPtepClearFlushNotify(Seq ops) {
        return new MmPaths(name, ptepSetAccessFlags, flushTlbRange, tlbFlushMmu, ptepClearFlush, rangeStart, rangeEnd, iopfResume,
                ops, rangeOnlyEnd);
    }

    public MmPaths withRangeOnlyEnd(Seq ops) {
        return new MmPaths(name, ptepSetAccessFlags, flushTlbRange, tlbFlushMmu, ptepClearFlush, rangeStart, rangeEnd, iopfResume,
                ptepClearFlushNotify, ops);
    }

    /**
     * Copy-on-write of an anonymous page, {@code do_wp_page} -> {@code wp_page_copy} (mm/memory.c, Linux 6.4 and
     * 6.6), entered by a write to a read-only PTE whose page is shared: under the mmap read lock and the PTL,
     * {@code handle_pte_fault} reads the PTE that faulted ({@code orig_pte}) and {@code do_wp_page} drops the PTL; it
     * allocates the copy and copies the page ({@code cow_user_page}) under no lock, opens the notifier range, takes the PTL,
     * and if the PTE is still the one that faulted ({@code pte_same(orig_pte)}: read-only again is not enough, it may
     * map another frame by then) clears and flushes it ({@link #ptepClearFlushNotify}) before
     * mapping the copy ({@code set_pte_at_notify}) so no TLB ever holds the old and the new frame at once; drops the
     * PTL, closes the range ({@link #rangeOnlyEnd}) and puts the old page. Not in the default {@link #kernel()}: it
     * multiplies the state space of every SMMU row; add it with {@code kernel().plus(paths.cow())}.
     */
    public Procedure cow() {
        return Procedure.of("cow", Trigger.PTE_READ_ONLY,
                MmapLock.READ, PtlLock.INSTANCE, OrigPte.INSTANCE, PtlUnlock.INSTANCE,
                When.of(READ_ONLY, Op.named("alloc page, cow_user_page", AllocFrame.INSTANCE)),
                rangeStart, PtlLock.INSTANCE,
                When.of(PteCondition.SAME_AS_FAULTED, ptepClearFlushNotify, SetPteAtNotify.INSTANCE), ReleaseUnusedFrame.INSTANCE,
                PtlUnlock.INSTANCE, rangeOnlyEnd, FreeOldFrame.INSTANCE, MmapUnlock.READ);
    }

    /**
     * {@code madvise(MADV_DONTNEED)} -> {@code madvise_dontneed_single_vma} -> {@code zap_page_range_single} (Linux 6.4
     * and 6.6) over a range, under {@code mmap_read_lock}: the VMA stays, so faults (and a second madvise) run
     * beside it. {@code tlb_gather_mmu}, the notifier range around {@code zap_pte_range}, the flush at
     * {@code tlb_end_vma} (arm64), and {@code tlb_finish_mmu}, which flushes the whole mm when another gather is
     * pending ({@link FlushTlbMmIfNested}, 99baac21e458), frees the pages and drops {@code tlb_flush_pending}. The
     * nested flush notifies where this version's gather flush does. Not in the default {@link #kernel()}: add it with
     * {@code kernel().plus(paths.madvDontneed())}.
     */
    public Procedure madvDontneed() {
        return Procedure.ranged("madv_dontneed", Trigger.ANY,
                MmapLock.READ, TLB_GATHER_MMU, rangeStart, PtlLock.INSTANCE, TlbBatch.FLUSH_PENDING,
                ClearPte.UNMAP, PtlUnlock.INSTANCE, tlbFlushMmu, rangeEnd,
                nestedFlush(), FreeOldFrame.INSTANCE, TLB_FINISH_MMU, MmapUnlock.READ);
    }

    /** The standard procedures (model/README.md), with the secondary invalidation where these paths put it. */
    public Procedure procedure(String procedure) {
        return kernel().find(procedure).getOrElseThrow(() -> new IllegalArgumentException("no procedure " + procedure));
    }

    /**
     * The default kernel of these paths, each procedure transcribed from Linux 6.4 and 6.6 (mm/memory.c, mm/mprotect.c,
     * mm/mmap.c, mm/migrate.c, mm/rmap.c, drivers/iommu/iommu-sva.c) with this record's runs spliced in:
     * <ul>
     *   <li>{@code fault_upgrade}: {@code do_wp_page} -> {@code wp_page_reuse} -> {@code ptep_set_access_flags};</li>
     *   <li>{@code write_protect}: {@code do_mprotect_pkey} -> {@code change_protection} with {@code mmu_gather};</li>
     *   <li>{@code unmap}: {@code do_vmi_align_munmap} -> {@code unmap_region}, arm64's order ({@link #unmap});</li>
     *   <li>{@code migrate}: {@code migrate_pages} -> {@code try_to_migrate_one}, {@code move_to_new_folio},
     *       {@code remove_migration_ptes};</li>
     *   <li>{@code map}: {@code do_anonymous_page};</li>
     *   <li>{@code iopf}: {@code iommu_sva_handle_iopf} -> {@code handle_mm_fault}, then the page response.</li>
     * </ul>
     * Copy-on-write ({@link #cow}) is not in it. Where the model departs from these functions on purpose is listed in
     * model/README.md, "Deliberate differences from the source".
     */
    public Kernel kernel() {
        return Kernel.of(name,
                // do_page_fault -> wp_page_reuse: a CPU write to a read-only PTE of a writable VMA.
                Procedure.of("fault_upgrade", Trigger.PTE_READ_ONLY,
                        MmapLock.READ, PtlLock.INSTANCE,
                        When.of(READ_ONLY, ptepSetAccessFlags),
                        PtlUnlock.INSTANCE, MmapUnlock.READ),
                // do_mprotect_pkey (6.2+): tlb_gather_mmu (inc_tlb_flush_pending) under mmap_write_lock;
                // change_pmd_range opens the notifier range, change_pte_range write-protects under the PTL and only
                // records the range in the gather (tlb_flush_pte_range), drops the PTL, change_pmd_range closes the
                // notifier range, and the flush comes after it: tlb_end_vma (arm64) or tlb_finish_mmu (x86), then
                // dec_tlb_flush_pending. Between the PTL drop and the flush a path that takes the PTL sees the PTE
                // read-only while TLBs may still let writes through: it has only mm_tlb_flush_pending to know.
                Procedure.ranged("write_protect", Trigger.ANY,
                        MmapLock.WRITE, TLB_GATHER_MMU, rangeStart, PtlLock.INSTANCE, TlbBatch.FLUSH_PENDING,
                        WriteProtectPte.KEEPING_THE_BATCH_CONTRACT, PtlUnlock.INSTANCE, rangeEnd, flushTlbRange,
                        TLB_FINISH_MMU, MmapUnlock.WRITE),
                unmap(),
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
