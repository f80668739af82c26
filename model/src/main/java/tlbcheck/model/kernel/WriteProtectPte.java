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
 */
public record WriteProtectPte() implements Op {

    public static final WriteProtectPte INSTANCE = new WriteProtectPte();

    @Override
    public String name() {
        return "set PTE RW->RO";
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
            }
        }
        return s.withRunning(cpu, r.next());
    }
}
