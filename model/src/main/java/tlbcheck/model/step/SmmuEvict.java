package tlbcheck.model.step;

import io.vavr.control.Option;
import tlbcheck.model.Model;
import tlbcheck.model.Pte;
import tlbcheck.model.State;
import tlbcheck.model.Transition;

/** An SMMU TLB drops an entry, at any time. */
public record SmmuEvict(int smmu, int page) implements Step {

    @Override
    public Option<String> refusal(Model model, State s) {
        Option<String> bad = Step.checkIndex("SMMU", smmu, s.smmus()).orElse(() -> Step.checkIndex("page", page, s.pages()));
        if (bad.isDefined()) return bad;
        return s.smmuTlb(smmu, page).present() ? Option.none() : Option.some("SMMU" + smmu + " has no entry for page " + page);
    }

    @Override
    public boolean enabled(Model model, State s) {
        return smmu < s.smmus() && page < s.pages() && s.smmuTlb(smmu, page).present();
    }

    @Override
    public Transition fire(Model model, State s) {
        return Transition.of(s, this, s.withSmmuTlb(smmu, page, Pte.INVALID));
    }

    @Override public String actor() { return "SMMU" + smmu; }

    @Override
    public String describe(Model model, State before) {
        return "TLB evict p" + page;
    }
}
