package tlbcheck.model.kernel;

import tlbcheck.model.Kvm;
import tlbcheck.model.Perm;
import tlbcheck.model.Pte;
import tlbcheck.model.State;

/**
 * When a CPU may start a procedure on a page: a named predicate over the state. Triggers only say when
 * the kernel would enter the path at all (a write fault needs a read-only PTE); the path rechecks under
 * its lock, since the PTE may change between the trigger and the lock.
 *
 * <p>Open for extension: {@code Trigger.of("every page present and read-only", (s, page) -> ...)} is a
 * trigger as good as the catalogue's. A procedure is entered by a {@code Start} step when its trigger
 * allows it, or, for {@link Entry#DEVICE_FAULT} and {@link Entry#VCPU_FAULT}, only by the fault that
 * runs its handler.
 */
public final class Trigger {

    /** How a procedure on this trigger is entered. */
    public enum Entry { START, DEVICE_FAULT, VCPU_FAULT }

    /** The predicate: may a CPU enter the procedure on this page now? */
    @FunctionalInterface
    public interface Condition {
        boolean allows(State s, int page);
    }

    private final String name;
    private final Condition condition;
    private final Entry entry;
    private final boolean onRead;
    private final boolean onWrite;

    private Trigger(String name, Condition condition, Entry entry, boolean onRead, boolean onWrite) {
        this.name = name;
        this.condition = condition;
        this.entry = entry;
        this.onRead = onRead;
        this.onWrite = onWrite;
    }

    /** A trigger a {@code Start} step enters (as a read or a syscall: not a write fault). */
    public static Trigger of(String name, Condition condition) {
        return new Trigger(name, condition, Entry.START, true, false);
    }

    /** The same trigger entered by a write fault only (a {@code Start} with {@code write = true}). */
    public Trigger onWriteOnly() {
        return new Trigger(name, condition, entry, false, true);
    }

    /** The same trigger entered by a read or a write access (the fault that maps a page distinguishes them). */
    public Trigger onReadOrWrite() {
        return new Trigger(name, condition, entry, true, true);
    }

    private static Trigger handler(String name, Entry entry) {
        return new Trigger(name, (s, page) -> false, entry, false, false);
    }

    /** Any time (mprotect, munmap, reclaim may run on any range). */
    public static final Trigger ANY = of("ANY", (s, page) -> true);
    /** A mapped page (migration, COW break). */
    public static final Trigger PTE_VALID = of("PTE_VALID", (s, page) -> s.pte(page).present());
    /** A write to a read-only PTE: the write fault. */
    public static final Trigger PTE_READ_ONLY = of("PTE_READ_ONLY",
            (s, page) -> s.pte(page) instanceof Pte.Valid v && v.perm() == Perm.RO).onWriteOnly();
    /** An access to an unmapped page (pte_none): the fault that maps it. */
    public static final Trigger PTE_INVALID = of("PTE_INVALID", (s, page) -> s.pte(page).none()).onReadOrWrite();
    /** Started only by a device fault, through HandleDeviceFault. */
    public static final Trigger DEVICE_FAULT = handler("DEVICE_FAULT", Entry.DEVICE_FAULT);
    /** A guest access to a page stage 2 does not map but the process does: KVM's fault-in. */
    public static final Trigger KVM_S2_MISSING = of("KVM_S2_MISSING",
            (s, page) -> s.kvm().present() && !s.kvm().s2().get(page).present() && s.pte(page).present());
    /** KVM_REQ_APIC_PAGE_RELOAD is pending: the vCPU reloads the APIC-access page before entry. */
    public static final Trigger APIC_RELOAD = of("APIC_RELOAD", (s, page) -> s.kvm().present() && s.kvm().apicReload()
            && !s.kvm().apicReloading() && page == Kvm.APIC_PAGE);
    /** arm64 stage 2 maps guest memory with a block: it may be split. */
    public static final Trigger S2_BLOCK = of("S2_BLOCK",
            (s, page) -> s.kvm().present() && s.kvm().s2Block().present() && page == 0);
    /** arm64 stage 2 maps every guest page with contiguous page entries of one permission: they may be collapsed. */
    public static final Trigger S2_COLLAPSIBLE = of("S2_COLLAPSIBLE",
            (s, page) -> s.kvm().present() && page == 0 && collapsible(s.kvm()));
    /** A writable stage-2 page entry (write-protect, e.g. for dirty logging). */
    public static final Trigger S2_PAGE_WRITABLE = of("S2_PAGE_WRITABLE",
            (s, page) -> s.kvm().present() && s.kvm().s2().get(page) instanceof Pte.Valid v && v.perm() == Perm.RW);
    /** A read-only stage-2 page entry (a write fault relaxes it). */
    public static final Trigger S2_PAGE_READ_ONLY = of("S2_PAGE_READ_ONLY",
            (s, page) -> s.kvm().present() && s.kvm().s2().get(page) instanceof Pte.Valid v && v.perm() == Perm.RO);
    /** A stage-2 page entry (unmap). */
    public static final Trigger S2_PAGE_VALID = of("S2_PAGE_VALID",
            (s, page) -> s.kvm().present() && s.kvm().s2().get(page).present());
    /** No stage-2 entry for the page and no block (map). */
    public static final Trigger S2_PAGE_NONE = of("S2_PAGE_NONE",
            (s, page) -> s.kvm().present() && s.kvm().s2Block().none() && s.kvm().s2().get(page).none());
    /** Entered only by a vCPU's stage-2 permission fault, through VcpuAccess; it acts on a page entry. */
    public static final Trigger VCPU_FAULT = handler("VCPU_FAULT", Entry.VCPU_FAULT);

    /**
     * The model's own triggers, which the explorer can rename pages and frames under: on a platform without a guest
     * (where pages are renamed) each reads only the PTE of the page it is given, and none compares frame numbers.
     */
    public static final io.vavr.collection.Set<Trigger> BUILT_IN = io.vavr.collection.HashSet.of(ANY, PTE_VALID,
            PTE_READ_ONLY, PTE_INVALID, DEVICE_FAULT, KVM_S2_MISSING, APIC_RELOAD, S2_BLOCK, S2_COLLAPSIBLE,
            S2_PAGE_WRITABLE, S2_PAGE_READ_ONLY, S2_PAGE_VALID, S2_PAGE_NONE, VCPU_FAULT);

    public String name() { return name; }
    public Entry entry() { return entry; }

    /** Whether a {@code Start} may enter on it as a read ({@code false}) or a write ({@code true}). */
    public boolean startsOn(boolean write) {
        return entry == Entry.START && (write ? onWrite : onRead);
    }

    /**
     * Whether a CPU's own access enters it: a fault on a read-only or an unmapped PTE, a trigger a write may enter. A
     * CPU whose TLB grants that access does not fault.
     */
    public boolean byAccess() {
        return entry == Entry.START && onWrite;
    }

    public boolean allows(State s, int page) {
        return condition.allows(s, page);
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

    @Override
    public String toString() {
        return name;
    }
}
