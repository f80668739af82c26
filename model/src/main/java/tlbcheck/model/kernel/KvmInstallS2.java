package tlbcheck.model.kernel;

import tlbcheck.model.Model;
import tlbcheck.model.Perm;
import tlbcheck.model.Pte;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/** Install the stage-2 entry for the guest page from the frame the fault-in translated. */
public record KvmInstallS2() implements Op {

    public static final KvmInstallS2 INSTANCE = new KvmInstallS2();

    @Override
    public String name() {
        return "install stage-2 entry";
    }

    @Override
    public String skipReason(Model model, State state, int cpu, Running running) {
        return running.newFrame() < 0 ? "the PTE maps nothing: no frame to install"
                : "a stage-2 block maps the range: the walk ends at the block, -EAGAIN";
    }

    @Override
    public State apply(Model model, State state, int cpu, Running running) {
        // arm64: once a block maps the range, the walk finds the block, not the page's (detached) table.
        if (running.newFrame() < 0 || state.kvm().s2Block().present()) return state.withRunning(cpu, running.next());
        Pte entry = Pte.valid(running.newFrame(), running.write() ? Perm.RW : Perm.RO);
        var k = state.kvm();
        // Replacing a different entry flushes the vCPU TLBs for it (kvm_flush_remote_tlbs).
        if (k.s2().get(running.page()).present() && !k.s2().get(running.page()).equals(entry)) {
            k = k.tlbiIpa(running.page(), -1);
        }
        return state.withKvm(k.withS2(running.page(), entry)).withRunning(cpu, running.next());
    }
}
