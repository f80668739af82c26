package tlbcheck.model.kernel;

import tlbcheck.model.Model;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/**
 * The mmu notifier's secondary-TLB invalidation ({@code invalidate_range} before Linux 6.6,
 * {@code arch_invalidate_secondary_tlbs} from 6.6): the SVA driver sends TLBI by VA plus CMD_SYNC to
 * every SMMU. {@code site} names the kernel function that calls it; with {@code onlyAfterFlush} it is
 * called only where the CPU flush beside it ran, as from the arch flush functions; without, always,
 * as from {@code invalidate_range_end} (which is what floods the SMMU on pte_none ranges).
 *
 * <p>With BTM the driver ({@code arm_smmu_mm_invalidate_range}) sends no TLB command: the CPU's broadcast
 * TLBI already reached the SMMU TLB, and it invalidates only the ATC. The call is still a secondary
 * invalidation command on the SMMU's queue, so invariant 7 counts it (the flood is in commands), but it
 * drops nothing from the SMMU TLB.
 */
public record NotifySecondary(String site, boolean onlyAfterFlush) implements Op {

    public static NotifySecondary always(String site) {
        return new NotifySecondary(site, false);
    }

    public static NotifySecondary withFlush(String site) {
        return new NotifySecondary(site, true);
    }

    @Override
    public String name() {
        return site;
    }

    @Override
    public boolean invalidates() {
        return true;
    }

    @Override
    public String skipReason(Model model, State state, int cpu, Running running) {
        return "this procedure changed no PTE, so no CPU flush to mirror";
    }

    @Override
    public State apply(Model model, State state, int cpu, Running running) {
        if (onlyAfterFlush && !running.wrotePte()) {
            return state.withRunning(cpu, running.next());
        }
        State s = model.platform().btm() ? state : state.invalidateSmmus(running.page());
        return s.withRunning(cpu, running.invalidatedSecondary().next());
    }
}
