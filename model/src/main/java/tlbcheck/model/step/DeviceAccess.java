package tlbcheck.model.step;

import io.vavr.control.Option;
import tlbcheck.model.Device;
import tlbcheck.model.DeviceStatus;
import tlbcheck.model.Model;
import tlbcheck.model.Pte;
import tlbcheck.model.State;
import tlbcheck.model.Transition;

/**
 * A device tries its outstanding access through its SMMU. A TLB hit that permits it completes it; a
 * miss walks the page table and caches a valid PTE even when it does not permit the access (Arm lets
 * the SMMU keep the read-only attribute that faulted); anything else raises a recoverable fault. A
 * fault raised while the PTE already permits the access is a no-progress fault (invariant 4). With ATS, an ATC
 * entry that permits the access completes it first.
 */
public record DeviceAccess(int device) implements Step {

    @Override
    public Option<String> refusal(Model model, State s) {
        Option<String> bad = Step.checkIndex("device", device, s.smmus());
        if (bad.isDefined()) return bad;
        return s.device(device).status() == DeviceStatus.READY
                ? Option.none() : Option.some("DEV" + device + " has no access ready to try (" + s.device(device) + ")");
    }

    @Override
    public boolean enabled(Model model, State s) {
        return device < s.smmus() && s.device(device).status() == DeviceStatus.READY;
    }

    @Override
    public Transition fire(Model model, State s) {
        Device d = s.device(device);
        int page = d.page();
        // With ATS the device translates through its ATC first; an entry that does not permit the access is asked
        // again of the SMMU, as a miss is.
        if (s.atc(device, page).permits(d.write())) {
            return new Transition(s, this, s.withDevice(device, Device.IDLE), Option.none(), s.atc(device, page).frame());
        }
        Pte pte = s.pte(page);
        Pte cached = s.smmuTlb(device, page);
        State next = s;
        if (!cached.present() && pte.present()) {
            next = next.withSmmuTlb(device, page, pte);
            cached = pte;
        }
        if (cached.permits(d.write())) {
            return new Transition(s, this, next.withDevice(device, Device.IDLE), Option.none(), cached.frame());
        }
        // A no-progress fault counts only when no procedure still owes maintenance for the page (fairness).
        boolean counts = pte.permits(d.write()) && !s.translationChangeInFlight(page, -1, false);
        int noProgress = Math.min(Device.NO_PROGRESS_CAP, d.noProgress() + (counts ? 1 : 0));
        return Transition.of(s, this,
                next.withDevice(device, new Device(DeviceStatus.FAULTED, page, d.write(), noProgress)));
    }

    @Override public String actor() { return "DEV" + device; }

    @Override
    public String describe(Model model, State before) {
        Device d = before.device(device);
        if (before.atc(device, d.page()).permits(d.write())) {
            return (d.write() ? "write" : "read") + " p" + d.page() + " ATC hit " + before.atc(device, d.page()) + ": done";
        }
        Pte cached = before.smmuTlb(device, d.page());
        Pte via = cached.present() ? cached : before.pte(d.page());
        String how = (d.write() ? "write" : "read") + " p" + d.page() + (cached.present() ? " hit " : " walk ") + via;
        return via.permits(d.write()) ? how + ": done" : how + ": FAULT";
    }
}
