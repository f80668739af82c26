package tlbcheck.model.step;

import io.vavr.control.Option;
import tlbcheck.model.Model;
import tlbcheck.model.Pte;
import tlbcheck.model.State;
import tlbcheck.model.Transition;

/** A CPU TLB drops an entry (capacity eviction), at any time. */
public record CpuEvict(int cpu, int page) implements Step {

    @Override
    public Option<String> refusal(Model model, State s) {
        Option<String> bad = Step.checkIndex("CPU", cpu, s.cpus()).orElse(() -> Step.checkIndex("page", page, s.pages()));
        if (bad.isDefined()) return bad;
        return s.cpuTlb(cpu, page).present() ? Option.none() : Option.some("CPU" + cpu + " has no entry for page " + page);
    }

    @Override
    public boolean enabled(Model model, State s) {
        return cpu < s.cpus() && page < s.pages() && s.cpuTlb(cpu, page).present();
    }

    @Override
    public Transition fire(Model model, State s) {
        return Transition.of(s, this, s.withCpuTlb(cpu, page, Pte.INVALID));
    }

    @Override public String actor() { return "CPU" + cpu; }

    @Override
    public String describe(Model model, State before) {
        return "TLB evict p" + page;
    }
}
