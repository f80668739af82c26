package tlbcheck.model.kernel;

import tlbcheck.model.Model;
import tlbcheck.model.Pte;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/**
 * KVM's {@code invalidate_range_start} callback: count the invalidation in progress, zap the
 * stage-2 entries of the range and invalidate the vCPU TLBs by VMID, before it returns.
 */
public record KvmInvalidateRangeStart() implements TakesMmuLock {

    public static final KvmInvalidateRangeStart INSTANCE = new KvmInvalidateRangeStart();

    @Override
    public String name() {
        return "kvm: invalidate_range_start (zap stage 2, TLBI VMID)";
    }

    @Override
    public State apply(Model model, State state, int cpu, Running running) {
        var k = state.kvm();
        if (!k.present()) return state.withRunning(cpu, running.next());
        k = k.withInvalidating(k.invalidating() + 1);
        for (int p = running.page(); p <= running.lastPage(); p++) k = k.withS2(p, Pte.INVALID).tlbiIpa(p, -1);
        return state.withKvm(k).withRunning(cpu, running.next());
    }
}
