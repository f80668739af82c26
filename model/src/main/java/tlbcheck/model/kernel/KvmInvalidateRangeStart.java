package tlbcheck.model.kernel;

import tlbcheck.model.Model;
import tlbcheck.model.Pte;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/**
 * KVM's {@code invalidate_range_start} callback ({@code kvm_mmu_notifier_invalidate_range_start} ->
 * {@code kvm_unmap_gfn_range}): count the invalidation in progress, zap the stage-2 entries of the range (on arm64
 * the whole block that covers it) and invalidate the vCPU TLBs, before it returns.
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
        // arm64: kvm_unmap_gfn_range removes a block that covers any page of the range (the guest refaults).
        if (k.s2Block().present()) k = k.withS2Block(Pte.INVALID);
        for (int p = running.page(); p <= running.lastPage(); p++) k = k.withS2(p, Pte.INVALID).tlbiIpa(p, -1);
        return state.withKvm(k).withRunning(cpu, running.next());
    }
}
