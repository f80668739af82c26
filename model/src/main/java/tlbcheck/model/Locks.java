package tlbcheck.model;

import io.vavr.collection.Array;

/**
 * The kernel locks that serialise procedures: the mmap lock (a reader-writer lock), one page-table lock per
 * page, and the rmap lock ({@code anon_vma} / {@code i_mmap} rwsem) that rmap walkers (reclaim, migration by
 * frame) take for read and page-table movers may take for write. Hardware takes no lock.
 */
public record Locks(int mmapReaders, boolean mmapWriter, Array<Boolean> ptl, int tlbFlushPending, int rmapReaders,
                    boolean rmapWriter, boolean tlbFlushBatched) {

    /** The most mmu_gathers the model lets be in flight at once (one per CPU). */
    public static final int MAX_TLB_FLUSH_PENDING = Scope.MAX_CPUS;

    public Locks(int mmapReaders, boolean mmapWriter, Array<Boolean> ptl) {
        this(mmapReaders, mmapWriter, ptl, 0, 0, false, false);
    }

    /**
     * {@code mm->tlb_flush_batched}: reclaim cleared a PTE and left its TLB flush in a batch
     * ({@code set_tlb_ubc_flush_pending}); {@code flush_tlb_batched_pending} flushes the whole mm and clears it.
     */
    public Locks withTlbFlushBatched(boolean batched) {
        return new Locks(mmapReaders, mmapWriter, ptl, tlbFlushPending, rmapReaders, rmapWriter, batched);
    }

    public Locks withRmap(int readers, boolean writer) {
        return new Locks(mmapReaders, mmapWriter, ptl, tlbFlushPending, readers, writer, tlbFlushBatched);
    }

    /**
     * {@code mm->tlb_flush_pending}: how many mmu_gathers have changed PTEs and not yet flushed
     * ({@code inc_tlb_flush_pending} .. {@code dec_tlb_flush_pending}). {@code mm_tlb_flush_pending} tests it
     * for any, {@code mm_tlb_flush_nested} for more than one.
     */
    public Locks withTlbFlushPending(int n) {
        return new Locks(mmapReaders, mmapWriter, ptl, n, rmapReaders, rmapWriter, tlbFlushBatched);
    }

    public static Locks free(int pages) {
        return new Locks(0, false, Array.fill(pages, Boolean.FALSE));
    }

    public boolean ptlHeld(int page) {
        return ptl.get(page);
    }

    public Locks withPtl(int page, boolean held) {
        return new Locks(mmapReaders, mmapWriter, ptl.update(page, held), tlbFlushPending, rmapReaders, rmapWriter, tlbFlushBatched);
    }

    public Locks withMmapReaders(int readers) {
        return new Locks(readers, mmapWriter, ptl, tlbFlushPending, rmapReaders, rmapWriter, tlbFlushBatched);
    }

    public Locks withMmapWriter(boolean writer) {
        return new Locks(mmapReaders, writer, ptl, tlbFlushPending, rmapReaders, rmapWriter, tlbFlushBatched);
    }
}
