package tlbcheck.model.kernel;

import tlbcheck.model.Model;
import tlbcheck.model.Pte;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/**
 * Break: CAS the stage-2 entry from what was read to invalid ({@code stage2_try_break_pte}). If
 * another vCPU's handler changed it first, the CAS fails and this handler returns -EAGAIN (the guest
 * faults again). Remembers the frame an unmap frees.
 */
public record S2Break(S2Change change) implements Op {

    @Override
    public String name() {
        return "CAS stage-2 entry -> invalid (break)";
    }

    @Override
    public String skipReason(Model model, State state, int cpu, Running running) {
        return "the CAS failed (-EAGAIN): another walker changed the entry";
    }

    @Override
    public State apply(Model model, State state, int cpu, Running running) {
        var k = state.kvm();
        if (change.read(k, running.page()) != running.snapshot()) {
            return state.withRunning(cpu, running.jump(model.kernel().procedure(running.procedure()).length()));
        }
        var broken = change.broken(k, running.page());
        Running r = running.wrote().owes(k.vcpusMadeStale(running.page(), k.mapping(running.page()), broken.mapping(running.page())));
        if (change == S2Change.UNMAP) r = r.withOldFrame(Pte.fromCode(running.snapshot()).frame());
        return state.withKvm(broken).withRunning(cpu, r.next());
    }
}
