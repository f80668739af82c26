package tlbcheck.model.step;

import io.vavr.control.Option;
import tlbcheck.model.Model;
import tlbcheck.model.Pte;
import tlbcheck.model.State;
import tlbcheck.model.Transition;

/**
 * With ATS, a device caches a translation in its ATC (an ATS translation request, made ahead of an access or for
 * another one): its SMMU answers from its TLB, and on a miss walks the page table and caches the PTE in its TLB too.
 * The answer may be stale: the device keeps whatever its SMMU's TLB held.
 */
public record AtcFill(int device, int page) implements Step {

    @Override
    public Option<String> refusal(Model model, State s) {
        if (!model.platform().ats()) return Option.some("the platform has no ATS (Platform.withAts()): devices have no ATC");
        Option<String> bad = Step.checkIndex("device", device, s.smmus()).orElse(() -> Step.checkIndex("page", page, s.pages()));
        if (bad.isDefined()) return bad;
        if (s.atc(device, page).present()) return Option.some("DEV" + device + "'s ATC already caches page " + page);
        if (!s.smmuTlb(device, page).present() && !s.pte(page).present()) {
            return Option.some("SMMU" + device + " caches nothing for page " + page + " and its PTE is invalid");
        }
        return Option.none();
    }

    @Override
    public boolean enabled(Model model, State s) {
        return model.platform().ats() && device < s.smmus() && page < s.pages() && !s.atc(device, page).present()
                && (s.smmuTlb(device, page).present() || s.pte(page).present());
    }

    @Override
    public Transition fire(Model model, State s) {
        Pte cached = s.smmuTlb(device, page);
        if (cached.present()) return Transition.of(s, this, s.withAtc(device, page, cached));
        return Transition.of(s, this, s.withSmmuTlb(device, page, s.pte(page)).withAtc(device, page, s.pte(page)));
    }

    @Override public String actor() { return "DEV" + device; }

    @Override
    public String describe(Model model, State before) {
        Pte cached = before.smmuTlb(device, page);
        return "ATC fill p" + page + " " + (cached.present() ? cached + " (SMMU TLB hit)"
                : before.pte(page) + " (walk; SMMU" + device + "'s TLB caches it too)");
    }
}
