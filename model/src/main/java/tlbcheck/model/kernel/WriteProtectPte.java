package tlbcheck.model.kernel;

import tlbcheck.model.Model;
import tlbcheck.model.Perm;
import tlbcheck.model.Pte;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/**
 * {@code ptep_modify_prot_commit} / {@code ptep_set_wrprotect}: every writable PTE of the range becomes read-only
 * ({@code change_pte_range}'s loop, under the page-table lock, as one step: hardware walks of different pages
 * commute with it).
 *
 * <p>{@link #KEEPING_THE_BATCH_CONTRACT} is the same write held to what {@code flush_tlb_batched_pending} promises
 * its callers (3ea277194daa): a PTE it finds already cleared or read-only while another path still owes that
 * page's flush (reclaim's batch) is its to see flushed before it returns, as a zap takes on a flush another zap
 * owes. A path that looks at the PTE without completing the batch then answers for the stale entry.
 */
public record WriteProtectPte(boolean inheritsPending) implements Op {

    public static final WriteProtectPte INSTANCE = new WriteProtectPte(false);
    public static final WriteProtectPte KEEPING_THE_BATCH_CONTRACT = new WriteProtectPte(true);

    @Override
    public String name() {
        return "set PTE RW->RO";
    }

    @Override
    public String describe(Model model, State state, int cpu, Running running) {
        if (inheritsPending) {
            for (int p = running.page(); p <= running.lastPage(); p++) {
                boolean writable = state.pte(p) instanceof Pte.Valid v && v.perm() == Perm.RW;
                if (!writable && state.debtsOn(p, cpu) != 0) {
                    return name() + ": PTE already " + state.pte(p) + ", takes on the flush another path still owes";
                }
            }
        }
        return name();
    }

    @Override
    public String skipReason(Model model, State state, int cpu, Running running) {
        return running.pages() == 1 ? "PTE is " + state.pte(running.page()) + ", not writable" : "no PTE of the range is writable";
    }

    @Override
    public State apply(Model model, State state, int cpu, Running running) {
        State s = state;
        Running r = running;
        for (int p = running.page(); p <= running.lastPage(); p++) {
            Pte pte = s.pte(p);
            if (pte instanceof Pte.Valid v && v.perm() == Perm.RW) {
                Pte next = Pte.valid(v.frame(), Perm.RO);
                r = r.wrote().owes(p, s.tlbsMadeStale(p, pte, next));
                s = s.withPte(p, next);
            } else if (inheritsPending) {
                r = r.owes(p, s.debtsOn(p, cpu));
            }
        }
        return s.withRunning(cpu, r.next());
    }
}
