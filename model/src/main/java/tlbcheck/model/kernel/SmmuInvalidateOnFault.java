package tlbcheck.model.kernel;

import tlbcheck.model.Model;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/**
 * The SMMU driver's own invalidation of the faulting page before it resumes the device (the "-rc"
 * alternative of seed 003). Not an mmu notifier call, so it does not count as a secondary
 * invalidation for invariant 7.
 */
public record SmmuInvalidateOnFault() implements Op {

    public static final SmmuInvalidateOnFault INSTANCE = new SmmuInvalidateOnFault();

    @Override
    public String name() {
        return "SMMU CMD_TLBI_NH_VA+CMD_SYNC";
    }

    @Override
    public boolean invalidates() {
        return true;
    }

    @Override
    public String skipReason(Model model, State state, int cpu, Running running) {
        return "the SMMU holds no entry for the page";
    }

    @Override
    public State apply(Model model, State state, int cpu, Running running) {
        State s = state;
        int smmu = running.device();
        if (smmu >= 0 && s.smmuTlb(smmu, running.page()).present()) {
            s = s.withSmmuTlb(smmu, running.page(), tlbcheck.model.Pte.INVALID);
        }
        return s.withRunning(cpu, running.next());
    }
}
