package tlbcheck.model.kernel;

import tlbcheck.model.Kvm;
import tlbcheck.model.Perm;
import tlbcheck.model.Pte;
import tlbcheck.model.State;

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
    DEVICE_FAULT,
    /** A guest access to a page stage 2 does not map but the process does: KVM's fault-in. */
    KVM_S2_MISSING,
    /** KVM_REQ_APIC_PAGE_RELOAD is pending: the vCPU reloads the APIC-access page before entry. */
    APIC_RELOAD,
    /** arm64 stage 2 maps guest memory with a block: it may be split. */
    S2_BLOCK,
    /** arm64 stage 2 maps every guest page with contiguous page entries of one permission: they may be collapsed. */
    S2_COLLAPSIBLE,
    /** A writable stage-2 page entry (write-protect, e.g. for dirty logging). */
    S2_PAGE_WRITABLE,
    /** A read-only stage-2 page entry (a write fault relaxes it). */
    S2_PAGE_READ_ONLY,
    /** A stage-2 page entry (unmap). */
    S2_PAGE_VALID,
    /** No stage-2 entry for the page and no block (map). */
    S2_PAGE_NONE,
    /** Entered only by a vCPU's stage-2 permission fault, through VcpuAccess; it acts on a page entry. */
    VCPU_FAULT;

    public boolean allows(State s, int page) {
        Pte pte = s.pte(page);
        Kvm k = s.kvm();
        switch (this) {
            case ANY: return true;
            case PTE_VALID: return pte.present();
            case PTE_READ_ONLY: return pte instanceof Pte.Valid v && v.perm() == Perm.RO;
            case PTE_INVALID: return pte.none();
            case KVM_S2_MISSING: return k.present() && !k.s2().get(page).present() && pte.present();
            case APIC_RELOAD: return k.present() && k.apicReload() && !k.apicReloading() && page == Kvm.APIC_PAGE;
            case S2_BLOCK: return k.present() && k.s2Block().present() && page == 0;
            case S2_COLLAPSIBLE: return k.present() && page == 0 && collapsible(k);
            case S2_PAGE_WRITABLE: return k.present() && k.s2().get(page) instanceof Pte.Valid v && v.perm() == Perm.RW;
            case S2_PAGE_READ_ONLY: return k.present() && k.s2().get(page) instanceof Pte.Valid v && v.perm() == Perm.RO;
            case S2_PAGE_VALID: return k.present() && k.s2().get(page).present();
            case S2_PAGE_NONE: return k.present() && k.s2Block().none() && k.s2().get(page).none();
            default: return false;
        }
    }

    /** Every page entry valid, frames contiguous from page 0's, one permission. */
    public static boolean collapsible(Kvm k) {
        if (!k.s2Block().none() || !(k.s2().get(0) instanceof Pte.Valid first)) return false;
        for (int g = 0; g < k.s2().size(); g++) {
            if (!(k.s2().get(g) instanceof Pte.Valid v) || v.frame() != first.frame() + g || v.perm() != first.perm()) {
                return false;
            }
        }
        return true;
    }
}
