package tlbcheck.model.step;

import io.vavr.control.Option;
import tlbcheck.model.Model;
import tlbcheck.model.Pte;
import tlbcheck.model.State;
import tlbcheck.model.Transition;

/** A vCPU's TLB drops a page entry, or with {@code page} -1 its block entry, at any time. */
public record VcpuEvict(int cpu, int page) implements Step {

    @Override
    public Option<String> refusal(Model model, State s) {
        return enabled(model, s) ? Option.none() : Option.some("vCPU" + cpu + " caches nothing there");
    }

    @Override
    public boolean enabled(Model model, State s) {
        var k = s.kvm();
        if (!k.present() || cpu >= s.cpus() || page >= s.pages()) return false;
        return page < 0 ? k.vcpuBlocks().get(cpu).present() : k.vcpuTlb(cpu, page).present();
    }

    @Override
    public Transition fire(Model model, State s) {
        var k = s.kvm();
        return Transition.of(s, this, s.withKvm(page < 0 ? k.withVcpuBlock(cpu, Pte.INVALID)
                : k.withVcpuTlb(cpu, page, Pte.INVALID)));
    }

    @Override public String actor() { return "CPU" + cpu; }

    @Override
    public String describe(Model model, State before) {
        return page < 0 ? "vTLB evict block" : "vTLB evict g" + page;
    }
}
