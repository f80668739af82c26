package tlbcheck.model.step;

import io.vavr.control.Option;
import tlbcheck.model.Model;
import tlbcheck.model.Pte;
import tlbcheck.model.State;
import tlbcheck.model.Transition;

/** A device's ATC drops an entry, at any time. */
public record AtcEvict(int device, int page) implements Step {

    @Override
    public Option<String> refusal(Model model, State s) {
        Option<String> bad = Step.checkIndex("device", device, s.smmus()).orElse(() -> Step.checkIndex("page", page, s.pages()));
        if (bad.isDefined()) return bad;
        return s.atc(device, page).present() ? Option.none() : Option.some("DEV" + device + "'s ATC has no entry for page " + page);
    }

    @Override
    public boolean enabled(Model model, State s) {
        return device < s.smmus() && page < s.pages() && s.atc(device, page).present();
    }

    @Override
    public Transition fire(Model model, State s) {
        return Transition.of(s, this, s.withAtc(device, page, Pte.INVALID));
    }

    @Override public String actor() { return "DEV" + device; }

    @Override
    public String describe(Model model, State before) {
        return "ATC evict p" + page;
    }
}
