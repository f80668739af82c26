package tlbcheck.model.step;

import io.vavr.control.Option;
import tlbcheck.model.Model;
import tlbcheck.model.State;
import tlbcheck.model.Transition;

/** An SMMU caches a valid PTE of the shared page table (prefetch or a walk for another access). */
public record SmmuFill(int smmu, int page) implements Step {

    @Override
    public Option<String> refusal(Model model, State s) {
        Option<String> bad = Step.checkIndex("SMMU", smmu, s.smmus()).orElse(() -> Step.checkIndex("page", page, s.pages()));
        if (bad.isDefined()) return bad;
        if (!s.pte(page).present()) return Option.some("the PTE is invalid; a TLB never caches an invalid PTE");
        if (s.smmuTlb(smmu, page).present()) return Option.some("SMMU" + smmu + " already caches page " + page);
        return Option.none();
    }

    @Override
    public boolean enabled(Model model, State s) {
        return smmu < s.smmus() && page < s.pages() && s.pte(page).present() && !s.smmuTlb(smmu, page).present();
    }

    @Override
    public Transition fire(Model model, State s) {
        return Transition.of(s, this, s.withSmmuTlb(smmu, page, s.pte(page)));
    }

    @Override public String actor() { return "SMMU" + smmu; }

    @Override
    public String describe(Model model, State before) {
        return "TLB fill p" + page + " " + before.pte(page);
    }
}
