package tlbcheck.model.kernel;

import tlbcheck.model.Model;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/**
 * {@code mmu_invalidate_retry}: under mmu_lock, give up (skip the install) if an invalidation is in
 * progress or one ended since the sequence count was read; the guest faults again later. With
 * {@code rearmApicReload} the APIC reload request is made again, so the vCPU retries before entry.
 */
public record KvmRetryCheck(int skip, boolean rearmApicReload) implements Op {

    @Override
    public String name() {
        return "mmu_invalidate_retry";
    }

    @Override
    public String skipReason(Model model, State state, int cpu, Running running) {
        // Traces give this reason both for skipping the check itself and for the install the check skips.
        return retry(state, running) ? "an invalidation is in progress or ended since the translation: retry"
                : "no invalidation in progress or ended since the translation: install";
    }

    private static boolean retry(State state, Running running) {
        return state.kvm().invalidating() > 0 || running.seqMoved();
    }

    @Override
    public State apply(Model model, State state, int cpu, Running running) {
        boolean retry = retry(state, running);
        State s = state;
        if (retry && rearmApicReload) s = s.withKvm(s.kvm().withApic(s.kvm().apicFrame(), true).withApicReloading(false));
        return s.withRunning(cpu, running.jump(retry ? 1 + skip : 1));
    }
}
