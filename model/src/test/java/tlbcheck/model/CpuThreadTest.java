package tlbcheck.model;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import tlbcheck.model.step.Advance;
import tlbcheck.model.step.CpuAccess;
import tlbcheck.model.step.Start;

/**
 * What one CPU cannot do, which a trace a reviewer reads must not show: take a fault on an access its own TLB grants,
 * or make a user access while it holds a page-table lock (a spinlock, so nothing else runs on it). Both were in
 * archived traces until a newcomer asked how the hardware could do that.
 */
class CpuThreadTest {

    @Test
    void aCpuWhoseTlbGrantsTheWriteTakesNoWriteFault() {
        Model model = new Model(Variants.V5, Scope.of(2, 1, 1, 2).withWritable(1));
        // CPU0 cached the page writable; the PTE is read-only now (a write-protect whose flush has not come).
        State s = model.initial().withCpuTlb(0, 0, Pte.valid(0, Perm.RW)).withPte(0, Pte.valid(0, Perm.RO));
        Start own = new Start(0, "fault_upgrade", 0, true);
        Start other = new Start(1, "fault_upgrade", 0, true);
        assertFalse(own.enabled(model, s));
        assertTrue(model.refusal(s, own).get().contains("CPU0's TLB grants the write (f0/RW): the access does not fault"),
                model.refusal(s, own).get());
        assertTrue(other.enabled(model, s) && model.refusal(s, other).isEmpty());
        // A read fault is not a write fault: a read-only entry does not grant the write, so CPU0 faults after all.
        State readOnly = s.withCpuTlb(0, 0, Pte.valid(0, Perm.RO));
        assertTrue(own.enabled(model, readOnly));
    }

    @Test
    void aCpuHoldingAPageTableLockMakesNoUserAccess() {
        Model model = new Model(Variants.V5);
        State s = model.fire(model.initial(), new Start(0, "fault_upgrade", 0, true)).after();
        int steps = 0;
        while (model.holdingSpinlock(s, 0).isEmpty()) {
            s = model.fire(s, new Advance(0)).after();
            assertTrue(++steps < 5, "fault_upgrade takes the page-table lock in its first steps");
        }
        CpuAccess read = new CpuAccess(0, 0, false);
        assertFalse(read.enabled(model, s));
        assertTrue(model.refusal(s, read).get().contains("CPU0 is in fault_upgrade holding a spinlock (a page-table lock or mmu_lock)"),
                model.refusal(s, read).get());
        assertTrue(new CpuAccess(1, 0, false).enabled(model, s), "another CPU reads on");
        while (model.holdingSpinlock(s, 0).isDefined()) s = model.fire(s, new Advance(0)).after();
        assertTrue(read.enabled(model, s), "after pte_unmap_unlock, still in the fault, the CPU may run another thread");
    }

    /** KVM's mmu_lock is a spinlock too: a CPU faulting a page into stage 2 under it makes no user access. */
    @Test
    void aCpuHoldingMmuLockMakesNoUserAccess() {
        tlbcheck.model.kernel.Procedure faultIn = tlbcheck.model.kernel.KvmX86Paths.FAULT_IN;
        int lock = faultIn.ops().indexWhere(op -> op.unwrapped() == tlbcheck.model.kernel.KvmLock.LOCK);
        int unlock = faultIn.ops().indexWhere(op -> op.unwrapped() == tlbcheck.model.kernel.KvmLock.UNLOCK);
        assertFalse(faultIn.holdsSpinlockAt(lock));
        assertTrue(faultIn.holdsSpinlockAt(lock + 1) && !faultIn.holdsPtlAt(lock + 1), "mmu_lock, no PTL");
        assertTrue(faultIn.holdsSpinlockAt(unlock));
        assertFalse(faultIn.holdsSpinlockAt(unlock + 1));
    }
}
