package tlbcheck.model.kernel;

import tlbcheck.model.Model;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/**
 * {@code vmf->orig_pte = ptep_get(vmf->pte)}: a fault reads the PTE it faulted on, and rechecks it with
 * {@code pte_same} ({@link PteCondition#SAME_AS_FAULTED}) once it holds the page-table lock again. Kept as the
 * procedure's snapshot (one PTE code), which the explorer renames with the frames.
 */
public record OrigPte() implements Op {

    public static final OrigPte INSTANCE = new OrigPte();

    @Override
    public String name() {
        return "vmf->orig_pte = *pte";
    }

    /** A read of one PTE, which no other actor can tell from the step before it. */
    @Override
    public boolean silent() {
        return true;
    }

    @Override
    public boolean bookkeeping() {
        return true;
    }

    @Override
    public State apply(Model model, State state, int cpu, Running running) {
        return state.withRunning(cpu, running.withSnapshot(state.pte(running.page()).code()).next());
    }
}
