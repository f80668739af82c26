package tlbcheck.model.step;

import io.vavr.control.Option;
import tlbcheck.model.Device;
import tlbcheck.model.DeviceStatus;
import tlbcheck.model.Model;
import tlbcheck.model.State;
import tlbcheck.model.Transition;

/** A device starts a DMA read or write of a virtual page. */
public record DeviceIssue(int device, int page, boolean write) implements Step {

    @Override
    public Option<String> refusal(Model model, State s) {
        Option<String> bad = Step.checkIndex("device", device, s.smmus()).orElse(() -> Step.checkIndex("page", page, s.pages()));
        if (bad.isDefined()) return bad;
        return s.device(device).outstanding()
                ? Option.some("DEV" + device + " already has an outstanding access") : Option.none();
    }

    @Override
    public boolean enabled(Model model, State s) {
        return device < s.smmus() && page < s.pages() && !s.device(device).outstanding();
    }

    @Override
    public Transition fire(Model model, State s) {
        return Transition.of(s, this, s.withDevice(device, new Device(DeviceStatus.READY, page, write, 0)));
    }

    @Override public String actor() { return "DEV" + device; }

    @Override
    public String describe(Model model, State before) {
        return "DMA " + (write ? "write" : "read") + " p" + page;
    }
}
