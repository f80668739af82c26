package tlbcheck.model.step;

import io.vavr.control.Option;
import tlbcheck.model.Model;
import tlbcheck.model.State;
import tlbcheck.model.Transition;

/** A CPU's page-table walker caches a valid PTE (speculatively, at any time). */
public record CpuFill(int cpu, int page) implements Step {

    @Override
    public Option<String> refusal(Model model, State s) {
        Option<String> bad = Step.checkIndex("CPU", cpu, s.cpus()).orElse(() -> Step.checkIndex("page", page, s.pages()));
        if (bad.isDefined()) return bad;
        if (!s.pte(page).present()) return Option.some("the PTE is invalid; a TLB never caches an invalid PTE");
        if (s.cpuTlb(cpu, page).present()) return Option.some("CPU" + cpu + " already caches page " + page);
        return Option.none();
    }

    @Override
    public boolean enabled(Model model, State s) {
        return cpu < s.cpus() && page < s.pages() && s.pte(page).present() && !s.cpuTlb(cpu, page).present();
    }

    @Override
    public Transition fire(Model model, State s) {
        return Transition.of(s, this, s.withCpuTlb(cpu, page, s.pte(page)));
    }

    @Override public String actor() { return "CPU" + cpu; }

    @Override
    public String describe(Model model, State before) {
        return "TLB fill p" + page + " " + before.pte(page);
    }
}
