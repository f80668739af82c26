package tlbcheck.model.kernel;

import tlbcheck.model.Model;
import tlbcheck.model.Pte;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/**
 * {@code vmf->orig_pte = ptep_get(vmf->pte)}, {@code vmf->page} and its reference ({@code get_page}): a write fault
 * reads the PTE it faulted on, to recheck it with {@code pte_same} ({@link PteCondition#SAME_AS_FAULTED}) once it
 * holds the page-table lock again, and holds the page a read-only PTE maps until it puts it ({@link FreeOldFrame}):
 * the page {@code cow_user_page} copies. The PTE is kept as the procedure's snapshot (one PTE code), the page among
 * its old frames: nobody frees it while the fault holds it, and {@code no-lost-write} counts a write to it from the
 * copy on, as the kernel loses one from there.
 */
public record OrigPte() implements Op {

    public static final OrigPte INSTANCE = new OrigPte();

    @Override
    public String name() {
        return "vmf->orig_pte = *pte, get_page";
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
        Pte pte = state.pte(running.page());
        Running read = running.withSnapshot(pte.code());
        return state.withRunning(cpu, (PteCondition.READ_ONLY.test(pte, false) ? read.plusOldFrame(pte.frame()) : read).next());
    }
}
