package tlbcheck.model.kernel;

import tlbcheck.model.Model;
import tlbcheck.model.Perm;
import tlbcheck.model.Pte;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/** {@code ptep_modify_prot_commit} / {@code ptep_set_wrprotect}: a writable PTE becomes read-only. */
public record WriteProtectPte() implements Op {

    public static final WriteProtectPte INSTANCE = new WriteProtectPte();

    @Override
    public String name() {
        return "set PTE RW->RO";
    }

    @Override
    public String skipReason(Model model, State state, int cpu, Running running) {
        return "PTE is " + state.pte(running.page()) + ", not writable";
    }

    @Override
    public State apply(Model model, State state, int cpu, Running running) {
        Pte pte = state.pte(running.page());
        if (pte instanceof Pte.Valid v && v.perm() == Perm.RW) {
            Pte next = Pte.valid(v.frame(), Perm.RO);
            return state.withPte(running.page(), next)
                    .withRunning(cpu, running.wrote().owes(state.tlbsMadeStale(running.page(), pte, next)).next());
        }
        return state.withRunning(cpu, running.next());
    }
}
