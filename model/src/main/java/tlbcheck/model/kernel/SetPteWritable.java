package tlbcheck.model.kernel;

import tlbcheck.model.Model;
import tlbcheck.model.Perm;
import tlbcheck.model.Pte;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/** The PTE write of {@code ptep_set_access_flags}: a read-only PTE becomes writable (RO to RW). */
public record SetPteWritable() implements Op {

    public static final SetPteWritable INSTANCE = new SetPteWritable();

    @Override
    public String name() {
        return "set PTE RO->RW";
    }

    @Override
    public String skipReason(Model model, State state, int cpu, Running running) {
        return "PTE is " + state.pte(running.page()) + ", not read-only";
    }

    @Override
    public boolean resolvesFault() {
        return true;
    }

    @Override
    public State apply(Model model, State state, int cpu, Running running) {
        Pte pte = state.pte(running.page());
        if (pte instanceof Pte.Valid v && v.perm() == Perm.RO) {
            Pte next = Pte.valid(v.frame(), Perm.RW);
            return state.withPte(running.page(), next)
                    .withRunning(cpu, running.wrote().owes(state.tlbsMadeStale(running.page(), pte, next)).next());
        }
        return state.withRunning(cpu, running.next());
    }
}
