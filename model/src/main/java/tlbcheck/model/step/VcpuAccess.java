package tlbcheck.model.step;

import io.vavr.control.Option;
import tlbcheck.model.Device;
import tlbcheck.model.Kvm;
import tlbcheck.model.Model;
import tlbcheck.model.Platform;
import tlbcheck.model.Pte;
import tlbcheck.model.Running;
import tlbcheck.model.State;
import tlbcheck.model.Transition;
import tlbcheck.model.kernel.Trigger;

/**
 * A guest load or store on vCPU {@code cpu} (arm64): through its TLB (a page entry, else the block
 * entry), else a stage-2 walk that caches what it finds. A write through a read-only translation is a
 * permission fault: the vCPU enters KVM's fault handler, and if stage 2 already grants the write the
 * fault made no progress (invariant 4, for vCPUs). A translation fault (nothing mapped) is not this
 * step: the guest waits for s2_map.
 */
public record VcpuAccess(int cpu, int page, boolean write) implements Step {

    private Pte translation(Kvm k) {
        Pte cached = k.vcpuTlb(cpu, page);
        if (cached.present()) return cached;
        Pte block = k.blockMapping(cpu, page);
        return block.present() ? block : k.mapping(page);
    }

    @Override
    public boolean enabled(Model model, State s) {
        if (model.platform().guest() != Platform.Guest.ARM64_STAGE2 || cpu >= s.cpus() || page >= s.pages()
                || s.running(cpu).isDefined()) return false;
        Pte t = translation(s.kvm());
        return t.permits(write) || (write && t.present() && handler(model) >= 0);
    }

    @Override
    public Option<String> refusal(Model model, State s) {
        if (model.platform().guest() != Platform.Guest.ARM64_STAGE2) return Option.some("the model has no arm64 guest");
        Option<String> bad = Step.checkIndex("vCPU", cpu, s.cpus()).orElse(() -> Step.checkIndex("guest page", page, s.pages()));
        if (bad.isDefined()) return bad;
        if (s.running(cpu).isDefined()) return Option.some("vCPU" + cpu + " is in the kernel");
        return enabled(model, s) ? Option.none()
                : Option.some("guest page " + page + " is not mapped: a translation fault, the guest waits for s2_map");
    }

    private static int handler(Model model) {
        return model.kernel().indexOf(Trigger.VCPU_FAULT);
    }

    @Override
    public Transition fire(Model model, State s) {
        Kvm k = s.kvm();
        Pte t = translation(k);
        boolean walked = !k.vcpuTlb(cpu, page).present() && !k.blockMapping(cpu, page).present();
        if (walked) k = k.s2Block().present() ? k.withVcpuBlock(cpu, k.s2Block()) : k.withVcpuTlb(cpu, page, t);
        if (t.permits(write)) {
            if (k.vcpuNoProgress(cpu) != 0) k = k.withVcpuNoProgress(cpu, 0);
            return new Transition(s, this, s.withKvm(k), Option.none(), t.frame());
        }
        if (k.mapping(page).permits(write) && !s.translationChangeInFlight(page, cpu, true)) {
            k = k.withVcpuNoProgress(cpu, Math.min(Device.NO_PROGRESS_CAP, k.vcpuNoProgress(cpu) + 1));
        }
        return Transition.of(s, this, s.withKvm(k).withRunning(cpu, Running.start(handler(model), page, true, -1)));
    }

    @Override public String actor() { return "CPU" + cpu; }

    @Override
    public String describe(Model model, State before) {
        Pte t = translation(before.kvm());
        return "guest " + (write ? "store" : "load") + " g" + page + " via " + t + (t.permits(write) ? "" : ": FAULT");
    }
}
