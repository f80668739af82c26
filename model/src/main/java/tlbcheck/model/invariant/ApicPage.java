package tlbcheck.model.invariant;

import tlbcheck.model.State;

/** When the x86 VMCS APIC-access address is a live translation. */
final class ApicPage {

    private ApicPage() {}

    /**
     * A reload request kicks the vCPU out of guest mode, and it reloads before it enters again: while
     * a request is pending or the reload runs, the cached address is not used.
     */
    static boolean live(State s) {
        return s.kvm().apicFrame() >= 0 && !s.kvm().apicReload() && !s.kvm().apicReloading();
    }
}
