package tlbcheck.model.invariant;

import io.vavr.control.Option;
import tlbcheck.model.Device;
import tlbcheck.model.Model;
import tlbcheck.model.State;
import tlbcheck.model.Transition;

/**
 * Invariant 4, as bounded liveness: a device (or, under an arm64 VM, a vCPU) must not fault again and
 * again on an access the page table (stage 2) already grants. Faults raised while the PTE does not permit the access are legitimate (the
 * kernel may keep write-protecting the page) and are not counted.
 */
public final class ForwardProgress implements Invariant {

    public static final int BOUND = 3;
    public static final ForwardProgress INSTANCE = new ForwardProgress();

    @Override public String name() { return "forward-progress"; }

    // The counts live in the state (Device.noProgress, Kvm.vcpuNoProgress): a fault counts when the PTE
    // (stage-2 entry) already permitted the access and no other procedure that changed that translation
    // is still before its invalidation, since a fair scheduler would run it there.
    @Override public int number() { return 4; }
    @Override public String meaning() {
        return "no device or vCPU access faults more than " + BOUND + " times while its PTE (stage-2 entry) already"
                + " permits it and no procedure still owes that translation's invalidation";
    }

    @Override
    public boolean appliesTo(Model model) {
        return model.scope().smmus() > 0 || model.platform().guest() == tlbcheck.model.Platform.Guest.ARM64_STAGE2;
    }

    @Override
    public boolean racy(Model model, Transition t) {
        for (int d = 0; d < t.after().smmus(); d++) {
            if (t.after().device(d).noProgress() > 0) return true;
        }
        return t.after().kvm().vcpuNoProgress().exists(c -> c > 0);
    }

    @Override
    public String racyState() {
        return "a device (or vCPU) faulted on an access its PTE (stage-2 entry) already permitted";
    }

    @Override
    public Option<Violation> check(Model model, Transition t) {
        State s = t.after();
        for (int d = 0; d < s.smmus(); d++) {
            Device dev = s.device(d);
            if (dev.noProgress() > BOUND) {
                return Option.some(violation(
                        "DEV" + d + "'s " + (dev.write() ? "write" : "read") + " of page " + dev.page() + " faulted "
                                + dev.noProgress() + " times while the PTE (" + s.pte(dev.page()) + ") already permitted it;"
                                + " SMMU" + d + " keeps returning " + s.smmuTlb(d, dev.page()),
                        "page " + dev.page() + ": PTE " + s.pte(dev.page()) + ", SMMU" + d + " TLB "
                                + s.smmuTlb(d, dev.page()) + ", DEV" + d + " " + dev));
            }
        }
        var k = s.kvm();
        for (int c = 0; k.present() && c < s.cpus(); c++) {
            if (k.vcpuNoProgress(c) > BOUND) {
                int page = s.running(c).map(r -> r.page()).getOrElse(0);
                return Option.some(violation("vCPU" + c + " took " + k.vcpuNoProgress(c) + " stage-2 permission faults"
                                + " on accesses stage 2 already permitted; its TLB keeps a read-only entry no handler invalidates",
                        "vCPU" + c + " TLB g" + page + " " + k.vcpuTlb(c, page) + ", stage 2 " + k.mapping(page)));
            }
        }
        return Option.none();
    }
}
