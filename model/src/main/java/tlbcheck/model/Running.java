package tlbcheck.model;

/**
 * A kernel procedure in flight on one CPU: which procedure, which atomic step it is at, and the
 * locals its steps share. Every field is bounded, so the state space stays finite.
 *
 * @param procedure index into the variant's kernel
 * @param pc index of the next op
 * @param page the page (the range) the procedure works on
 * @param write for fault paths: whether the faulting access is a write; for KVM, whether the
 *     translated PTE was writable
 * @param device for the device-fault handler: the device to resume; -1 otherwise
 * @param newFrame frame allocated (or, for KVM, translated) by this procedure, -1 when none
 * @param oldFrame frame this procedure unmapped and must free, -1 when none
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
 *     refilled). Invariants 1 and 2 hold the procedure to it when it completes.
 */
public record Running(int procedure, int pc, int page, boolean write, int device, int newFrame, int oldFrame,
                      boolean wrotePte, int flushes, int secondary, boolean inRange, boolean seqMoved, int snapshot, int owed) {

    public static Running start(int procedure, int page, boolean write, int device) {
        return new Running(procedure, 0, page, write, device, -1, -1, false, 0, 0, false, false, 0, 0);
    }

    public static int cpuBit(int cpu) { return 1 << cpu; }
    public static int smmuBit(int smmu) { return 1 << (Scope.MAX_CPUS + smmu); }
    public static int vcpuBit(int cpu) { return 1 << (Scope.MAX_CPUS + Scope.MAX_SMMUS + cpu); }
    public static int vcpuBlockBit(int cpu) { return 1 << (2 * Scope.MAX_CPUS + Scope.MAX_SMMUS + cpu); }

    /** An SMMU whose entry for the page differs from the new PTE at all (invariant 1 counts a stale RO entry too). */
    public static int smmuDiffersBit(int smmu) { return 1 << (3 * Scope.MAX_CPUS + Scope.MAX_SMMUS + smmu); }

    /** Bits needed to encode {@link #owed}. */
    public static final int OWED_BITS = 3 * Scope.MAX_CPUS + 2 * Scope.MAX_SMMUS;

    /** Adds TLBs this procedure's write has just left stale. */
    public Running owes(int tlbs) {
        return (owed | tlbs) == owed ? this : withOwed(owed | tlbs);
    }

    public Running withOwed(int tlbs) {
        return new Running(procedure, pc, page, write, device, newFrame, oldFrame, wrotePte, flushes, secondary,
                inRange, seqMoved, snapshot, tlbs);
    }

    public Running next() {
        return jump(1);
    }

    public Running jump(int by) {
        return new Running(procedure, pc + by, page, write, device, newFrame, oldFrame, wrotePte, flushes, secondary,
                inRange, seqMoved, snapshot, owed);
    }

    public Running wrote() {
        return new Running(procedure, pc, page, write, device, newFrame, oldFrame, true, flushes, secondary,
                inRange, seqMoved, snapshot, owed);
    }

    public Running withNewFrame(int frame) {
        return new Running(procedure, pc, page, write, device, frame, oldFrame, wrotePte, flushes, secondary,
                inRange, seqMoved, snapshot, owed);
    }

    public Running withOldFrame(int frame) {
        return new Running(procedure, pc, page, write, device, newFrame, frame, wrotePte, flushes, secondary,
                inRange, seqMoved, snapshot, owed);
    }

    public Running withWrite(boolean w) {
        return new Running(procedure, pc, page, w, device, newFrame, oldFrame, wrotePte, flushes, secondary,
                inRange, seqMoved, snapshot, owed);
    }

    public Running flushed() {
        return new Running(procedure, pc, page, write, device, newFrame, oldFrame, wrotePte, flushes + 1, secondary,
                inRange, seqMoved, snapshot, owed);
    }

    public Running invalidatedSecondary() {
        return new Running(procedure, pc, page, write, device, newFrame, oldFrame, wrotePte, flushes, secondary + 1,
                inRange, seqMoved, snapshot, owed);
    }

    public Running withInRange(boolean in) {
        return new Running(procedure, pc, page, write, device, newFrame, oldFrame, wrotePte, flushes, secondary,
                in, seqMoved, snapshot, owed);
    }

    public Running withSeqMoved() {
        return new Running(procedure, pc, page, write, device, newFrame, oldFrame, wrotePte, flushes, secondary,
                inRange, true, snapshot, owed);
    }

    public Running withSnapshot(int code) {
        return new Running(procedure, pc, page, write, device, newFrame, oldFrame, wrotePte, flushes, secondary,
                inRange, seqMoved, code, owed);
    }
}
