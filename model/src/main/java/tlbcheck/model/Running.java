package tlbcheck.model;

/**
 * A kernel procedure in flight on one CPU: which procedure, which atomic step it is at, and the
 * locals its steps share. Every field is bounded, so the state space stays finite.
 *
 * @param procedure index into the variant's kernel
 * @param pc index of the next op
 * @param page the page (the range) the procedure works on
 * @param write for fault paths: whether the faulting access is a write
 * @param device for the device-fault handler: the device to resume; -1 otherwise
 * @param newFrame frame allocated by this procedure, -1 when none
 * @param oldFrame frame this procedure unmapped and must free, -1 when none
 * @param wrotePte whether this procedure changed the page's PTE (so its maintenance is owed)
 * @param flushes CPU TLB flushes this procedure issued
 * @param secondary secondary-TLB invalidations (notifier calls) this procedure issued
 */
public record Running(int procedure, int pc, int page, boolean write, int device,
                      int newFrame, int oldFrame, boolean wrotePte, int flushes, int secondary) {

    public static Running start(int procedure, int page, boolean write, int device) {
        return new Running(procedure, 0, page, write, device, -1, -1, false, 0, 0);
    }

    public Running next() {
        return jump(1);
    }

    public Running jump(int by) {
        return new Running(procedure, pc + by, page, write, device, newFrame, oldFrame, wrotePte, flushes, secondary);
    }

    public Running wrote() {
        return new Running(procedure, pc, page, write, device, newFrame, oldFrame, true, flushes, secondary);
    }

    public Running withNewFrame(int frame) {
        return new Running(procedure, pc, page, write, device, frame, oldFrame, wrotePte, flushes, secondary);
    }

    public Running withOldFrame(int frame) {
        return new Running(procedure, pc, page, write, device, newFrame, frame, wrotePte, flushes, secondary);
    }

    public Running flushed() {
        return new Running(procedure, pc, page, write, device, newFrame, oldFrame, wrotePte, flushes + 1, secondary);
    }

    public Running invalidatedSecondary() {
        return new Running(procedure, pc, page, write, device, newFrame, oldFrame, wrotePte, flushes, secondary + 1);
    }
}
