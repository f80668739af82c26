package tlbcheck.model.kernel;

import tlbcheck.model.Perm;
import tlbcheck.model.Pte;

/**
 * When a CPU may start a procedure on a page. Triggers only say when the kernel would enter the
 * path at all (a write fault needs a read-only PTE); the path rechecks under its lock, since the PTE
 * may change between the trigger and the lock.
 */
public enum Trigger {
    /** Any time (mprotect, munmap, reclaim may run on any range). */
    ANY,
    /** A mapped page (migration, COW break). */
    PTE_VALID,
    /** A write to a read-only PTE: the write fault. */
    PTE_READ_ONLY,
    /** An access to an unmapped page (pte_none): the fault that maps it. */
    PTE_INVALID,
    /** Started only by a device fault, through HandleDeviceFault. */
    DEVICE_FAULT;

    public boolean allows(Pte pte) {
        switch (this) {
            case ANY: return true;
            case PTE_VALID: return pte.present();
            case PTE_READ_ONLY: return pte instanceof Pte.Valid v && v.perm() == Perm.RO;
            case PTE_INVALID: return pte.none();
            default: return false;
        }
    }
}
