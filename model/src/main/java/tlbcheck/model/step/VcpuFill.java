package tlbcheck.model.step;

import io.vavr.control.Option;
import tlbcheck.model.Model;
import tlbcheck.model.State;
import tlbcheck.model.Transition;

/**
 * A vCPU's TLB (on CPU {@code cpu}) caches a valid stage-2 entry: a page entry for the guest page,
 * or, with {@code page} -1, the block entry covering every guest page.
 */
public record VcpuFill(int cpu, int page) implements Step {

    @Override
    public Option<String> refusal(Model model, State s) {
        if (!s.kvm().present()) return Option.some("the model has no VM");
        Option<String> bad = Step.checkIndex("vCPU", cpu, s.cpus());
        if (bad.isDefined()) return bad;
        if (page < 0) {
            if (!s.kvm().s2Block().present()) return Option.some("stage 2 has no block entry");
            return s.kvm().vcpuBlocks().get(cpu).present() ? Option.some("vCPU" + cpu + " already caches the block")
                    : Option.none();
        }
        bad = Step.checkIndex("guest page", page, s.pages());
        if (bad.isDefined()) return bad;
        if (!s.kvm().s2().get(page).present()) return Option.some("stage 2 has no page entry for guest page " + page);
        return s.kvm().vcpuTlb(cpu, page).present() ? Option.some("vCPU" + cpu + " already caches guest page " + page)
                : Option.none();
    }

    @Override
    public boolean enabled(Model model, State s) {
        var k = s.kvm();
        if (!k.present() || cpu >= s.cpus() || page >= s.pages()) return false;
        return page < 0 ? k.s2Block().present() && !k.vcpuBlocks().get(cpu).present()
                : k.s2().get(page).present() && !k.vcpuTlb(cpu, page).present();
    }

    @Override
    public Transition fire(Model model, State s) {
        var k = s.kvm();
        return Transition.of(s, this, s.withKvm(page < 0 ? k.withVcpuBlock(cpu, k.s2Block())
                : k.withVcpuTlb(cpu, page, k.s2().get(page))));
    }

    @Override public String actor() { return "CPU" + cpu; }

    @Override
    public String describe(Model model, State before) {
        return page < 0 ? "vTLB fill block " + before.kvm().s2Block() : "vTLB fill g" + page + " " + before.kvm().s2().get(page);
    }

    @Override
    public String kind() {
        return "VcpuFill";
    }
}
