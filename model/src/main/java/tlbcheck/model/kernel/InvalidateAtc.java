package tlbcheck.model.kernel;

import tlbcheck.model.Model;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/**
 * The ATC invalidation on its own ({@code arm_smmu_atc_inv_domain}: CMD_ATC_INV to every ATS device, then CMD_SYNC),
 * over the procedure's range, for a driver that sends it apart from the TLB invalidation: after
 * {@code NotifySecondary.withoutAtc()}, as the driver does, or before it, which lets a device refill its ATC from
 * the TLB entry still to be invalidated. Nothing to do where the platform has no ATS.
 */
public record InvalidateAtc(String site) implements Op {

    @Override
    public String name() {
        return site + " (ATC)";
    }

    @Override
    public boolean invalidates() {
        return true;
    }

    @Override
    public String skipReason(Model model, State state, int cpu, Running running) {
        return model.platform().ats() ? "no ATC caches the range" : "the platform has no ATS";
    }

    @Override
    public State apply(Model model, State state, int cpu, Running running) {
        State s = state;
        for (int page = running.page(); model.platform().ats() && page <= running.lastPage(); page++) {
            s = s.invalidateAtcs(page);
        }
        return s.withRunning(cpu, s.running(cpu).get().next());
    }
}
