package tlbcheck.model.invariant;

import io.vavr.control.Option;
import tlbcheck.model.Device;
import tlbcheck.model.Model;
import tlbcheck.model.State;
import tlbcheck.model.Transition;

/**
 * Invariant 4, as bounded liveness: a device must not fault again and again on an access the page
 * table already grants. Faults raised while the PTE does not permit the access are legitimate (the
 * kernel may keep write-protecting the page) and are not counted.
 */
public final class DeviceForwardProgress implements Invariant {

    public static final int BOUND = 3;
    public static final DeviceForwardProgress INSTANCE = new DeviceForwardProgress();

    @Override public String name() { return "device-forward-progress"; }
    @Override public int number() { return 4; }
    @Override public String meaning() {
        return "no device access faults more than " + BOUND + " times while its PTE already permits it";
    }

    @Override
    public boolean appliesTo(Model model) {
        return model.scope().smmus() > 0;
    }

    @Override
    public boolean racy(Model model, Transition t) {
        for (int d = 0; d < t.after().smmus(); d++) {
            if (t.after().device(d).noProgress() > 0) return true;
        }
        return false;
    }

    @Override
    public String racyState() {
        return "a device faulted on an access its PTE already permitted";
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
        return Option.none();
    }
}
