package tlbcheck.model;

/**
 * A kernel procedure in flight on one CPU: which procedure, which atomic step it is at, and the
 * locals its steps share. Every field is bounded, so the state space stays finite.
 *
 * @param procedure index into the variant's kernel
 * @param pc index of the next op
 * @param page the page the procedure works on: the first page of its range
 * @param pages how many pages its range has (1 for a fault; up to {@link #MAX_RANGE} for a syscall's range)
 * @param ptep the page whose PTE slot the procedure's page-table pointer ({@code pvmw.pte}) refers to: its own page,
 *     until another procedure moves the page-table page under it to another address ({@code move_normal_pmd})
 * @param write for fault paths: whether the faulting access is a write; for KVM, whether the
 *     translated PTE was writable
 * @param device for the device-fault handler: the device to resume; -1 otherwise
 * @param newFrame frame allocated (or, for KVM, translated) by this procedure, -1 when none
 * @param oldFrames the frames this procedure unmapped and must release, in the order it unmapped them: a range zap
 *     unmaps one per page, in address order. A list of {@link #OLD_FRAME_BITS}-bit entries, frame + 1 each, the first
 *     lowest (0: none). They are freed in that order, as {@code tlb_finish_mmu} frees a gather's pages, so which one
 *     ends up at the head of the free list depends on the addresses and not on the frames' numbers (which the
 *     explorer renames)
 * @param wrotePte whether this procedure changed its PTE (so its maintenance is owed)
 * @param flushes CPU TLB flushes this procedure issued
 * @param secondary secondary-TLB invalidations (notifier calls) this procedure issued
 * @param inRange between its mmu_notifier_invalidate_range_start and _end
 * @param seqMoved for KVM: an invalidation ended since this procedure read the sequence count
 * @param snapshot for a stage-2 CAS: the entry as read at the start (a {@link Pte} code)
 * @param owed the TLBs this procedure's own writes left stale (bits from {@link #cpuBit}, {@link #smmuBit},
 *     {@link #vcpuBit}, {@link #vcpuBlockBit}): a TLB's bit is set when a PTE write of this procedure
 *     leaves that TLB's entry for the page granting more than the new PTE ({@link #smmuDiffersBit}: an
 *     SMMU entry that differs from it at all), and cleared when that entry changes (invalidated, evicted,
 *     refilled). Invariants 1 and 2 hold the procedure to it when it completes. One group of
 *     {@link #OWED_BITS} bits per page of the range, the first page's lowest.
 * @param wroteOut whether reclaim has written the frames it unmapped out to swap or their file ({@code pageout}): from
 *     then on their contents are on the disk, and a write that still reaches one is lost when it is freed (invariant 9)
 */
public record Running(int procedure, int pc, int page, int pages, int ptep, boolean write, int device, int newFrame, int oldFrames,
                      boolean wrotePte, int flushes, int secondary, boolean inRange, boolean seqMoved, int snapshot, long owed,
                      boolean wroteOut) {

    /** The most pages a procedure's range may have: the debts of each page of it must fit {@link #owed}. */
    public static final int MAX_RANGE = 4;

    public Running {
        if (pages < 1 || pages > MAX_RANGE) {
            throw new IllegalArgumentException("a range has 1.." + MAX_RANGE + " pages, not " + pages);
        }
    }

    public static Running start(int procedure, int page, boolean write, int device) {
        return start(procedure, page, 1, write, device);
    }

    public static Running start(int procedure, int page, int pages, boolean write, int device) {
        return new Running(procedure, 0, page, pages, page, write, device, -1, 0, false, 0, 0, false, false, 0, 0, false);
    }

    /** Whether the page is in this procedure's range. */
    public boolean covers(int p) {
        return p >= page && p < page + pages;
    }

    /** The procedure's page-table pointer now refers to page {@code p}'s slot: its page table was moved there. */
    public Running withPtep(int p) {
        return new Running(procedure, pc, page, pages, p, write, device, newFrame, oldFrames, wrotePte, flushes, secondary,
                inRange, seqMoved, snapshot, owed, wroteOut);
    }

    /** The page a PTE op reaches for page {@code p} of the range: the same, unless its page table moved. */
    public int slot(int p) {
        return p + ptep - page;
    }

    /** "page 0", or "pages 0..1" for a range. */
    public String pagesText() {
        return pages == 1 ? "page " + page : "pages " + page + ".." + lastPage();
    }

    /** The last page an op that covers only the range's first {@code cover} pages reaches (0: the whole range). */
    public int coveredLast(int cover) {
        return cover > 0 ? Math.min(lastPage(), page + cover - 1) : lastPage();
    }

    /** The last page of the range, inclusive. */
    public int lastPage() {
        return page + pages - 1;
    }

    /** The TLB bits owed for one page of the range (0 outside it). */
    public int owedOn(int p) {
        return covers(p) ? (int) (owed >>> ((p - page) * OWED_BITS)) & ((1 << OWED_BITS) - 1) : 0;
    }

    /** Bits of an entry of {@link #oldFrames}: frame + 1, up to {@link Scope#MAX_FRAMES}. */
    public static final int OLD_FRAME_BITS = 4;

    /** The frame this procedure unmapped, when it unmapped exactly one (migration, a one-page zap); -1 otherwise. */
    public int oldFrame() {
        return oldFrames != 0 && oldFrames >>> OLD_FRAME_BITS == 0 ? oldFrames - 1 : -1;
    }

    public boolean unmapped(int frame) {
        for (int m = oldFrames; frame >= 0 && m != 0; m >>>= OLD_FRAME_BITS) {
            if ((m & ((1 << OLD_FRAME_BITS) - 1)) == frame + 1) return true;
        }
        return false;
    }

    /** How many frames {@link #oldFrames} lists. */
    private int oldFrameCount() {
        int n = 0;
        for (int m = oldFrames; m != 0; m >>>= OLD_FRAME_BITS) n++;
        return n;
    }

    /** The frames to release, in the order this procedure unmapped them. */
    public int[] oldFrameList() {
        int n = oldFrameCount();
        int[] out = new int[n];
        for (int i = 0; i < n; i++) out[i] = (oldFrames >>> (i * OLD_FRAME_BITS) & ((1 << OLD_FRAME_BITS) - 1)) - 1;
        return out;
    }

    public static int cpuBit(int cpu) { return 1 << cpu; }
    public static int smmuBit(int smmu) { return 1 << (Scope.MAX_CPUS + smmu); }
    public static int vcpuBit(int cpu) { return 1 << (Scope.MAX_CPUS + Scope.MAX_SMMUS + cpu); }
    public static int vcpuBlockBit(int cpu) { return 1 << (2 * Scope.MAX_CPUS + Scope.MAX_SMMUS + cpu); }

    /** An SMMU whose entry for the page differs from the new PTE at all (invariant 1 counts a stale RO entry too). */
    public static int smmuDiffersBit(int smmu) { return 1 << (3 * Scope.MAX_CPUS + Scope.MAX_SMMUS + smmu); }

    /** Bits needed to encode {@link #owed}. */
    public static final int OWED_BITS = 3 * Scope.MAX_CPUS + 2 * Scope.MAX_SMMUS;

    /** Adds TLBs this procedure's write to its (first) page has just left stale. */
    public Running owes(int tlbs) {
        return owes(page, tlbs);
    }

    /** Adds TLBs this procedure's write to page {@code p} of its range has just left stale. */
    public Running owes(int p, int tlbs) {
        if (!covers(p)) throw new IllegalArgumentException("page " + p + " is outside the range " + page + ".." + lastPage());
        long bits = (long) (tlbs & ((1 << OWED_BITS) - 1)) << ((p - page) * OWED_BITS);
        return (owed | bits) == owed ? this : withOwed(owed | bits);
    }

    /** Clears TLB bits owed on page {@code p}. */
    public Running paid(int p, int tlbs) {
        if (!covers(p)) return this;
        long bits = (long) (tlbs & ((1 << OWED_BITS) - 1)) << ((p - page) * OWED_BITS);
        return (owed & bits) == 0 ? this : withOwed(owed & ~bits);
    }

    public Running withOwed(long tlbs) {
        return new Running(procedure, pc, page, pages, ptep, write, device, newFrame, oldFrames, wrotePte, flushes, secondary,
                inRange, seqMoved, snapshot, tlbs, wroteOut);
    }

    public Running next() {
        return jump(1);
    }

    public Running jump(int by) {
        return new Running(procedure, pc + by, page, pages, ptep, write, device, newFrame, oldFrames, wrotePte, flushes, secondary,
                inRange, seqMoved, snapshot, owed, wroteOut);
    }

    public Running wrote() {
        return new Running(procedure, pc, page, pages, ptep, write, device, newFrame, oldFrames, true, flushes, secondary,
                inRange, seqMoved, snapshot, owed, wroteOut);
    }

    public Running withNewFrame(int frame) {
        return new Running(procedure, pc, page, pages, ptep, write, device, frame, oldFrames, wrotePte, flushes, secondary,
                inRange, seqMoved, snapshot, owed, wroteOut);
    }

    /** Sets the frames to release to just this one ({@code -1}: none). */
    public Running withOldFrame(int frame) {
        return withOldFrames(frame < 0 ? 0 : frame + 1);
    }

    /** Adds a frame this procedure unmapped, after the others; one it holds already (an alias maps it twice) once. */
    public Running plusOldFrame(int frame) {
        if (unmapped(frame)) return this;
        return withOldFrames(oldFrames | (frame + 1) << (OLD_FRAME_BITS * oldFrameCount()));
    }

    /** Releases them all. */
    public Running withoutOldFrames() {
        return withOldFrames(0);
    }

    /** The frames to release as the list {@link #oldFrames} describes. */
    public Running withOldFrames(int frames) {
        return new Running(procedure, pc, page, pages, ptep, write, device, newFrame, frames, wrotePte, flushes, secondary,
                inRange, seqMoved, snapshot, owed, wroteOut);
    }

    public Running withWrite(boolean w) {
        return new Running(procedure, pc, page, pages, ptep, w, device, newFrame, oldFrames, wrotePte, flushes, secondary,
                inRange, seqMoved, snapshot, owed, wroteOut);
    }

    public Running flushed() {
        return flushed(1);
    }

    /** Counts TLBI commands: a flush by VA of n pages is n of them. */
    public Running flushed(int commands) {
        return new Running(procedure, pc, page, pages, ptep, write, device, newFrame, oldFrames, wrotePte, flushes + commands, secondary,
                inRange, seqMoved, snapshot, owed, wroteOut);
    }

    public Running invalidatedSecondary() {
        return invalidatedSecondary(1);
    }

    /** Counts secondary invalidation commands (per page by VA, or one by ASID). */
    public Running invalidatedSecondary(int commands) {
        return new Running(procedure, pc, page, pages, ptep, write, device, newFrame, oldFrames, wrotePte, flushes, secondary + commands,
                inRange, seqMoved, snapshot, owed, wroteOut);
    }

    public Running withInRange(boolean in) {
        return new Running(procedure, pc, page, pages, ptep, write, device, newFrame, oldFrames, wrotePte, flushes, secondary,
                in, seqMoved, snapshot, owed, wroteOut);
    }

    public Running withSeqMoved() {
        return new Running(procedure, pc, page, pages, ptep, write, device, newFrame, oldFrames, wrotePte, flushes, secondary,
                inRange, true, snapshot, owed, wroteOut);
    }

    /** Reclaim has written its unmapped frames out ({@code pageout}). */
    public Running afterWriteOut() {
        return new Running(procedure, pc, page, pages, ptep, write, device, newFrame, oldFrames, wrotePte, flushes, secondary,
                inRange, seqMoved, snapshot, owed, true);
    }

    public Running withSnapshot(int code) {
        return new Running(procedure, pc, page, pages, ptep, write, device, newFrame, oldFrames, wrotePte, flushes, secondary,
                inRange, seqMoved, code, owed, wroteOut);
    }
}
