package tlbcheck.model.kernel;

import tlbcheck.model.Model;
import tlbcheck.model.Perm;
import tlbcheck.model.Pte;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/**
 * {@code remove_migration_pte}: replace this procedure's migration entry by the new frame. If the
 * entry is gone (the range was zapped meanwhile), the migration is abandoned and the new frame freed.
 */
public record SetPteNewFrame(Perm perm) implements Op {

    @Override
    public String name() {
        return "set PTE to new frame " + perm;
    }

    @Override
    public State apply(Model model, State state, int cpu, Running running) {
        if (running.newFrame() < 0) {
            return state.withRunning(cpu, running.next());
        }
        Pte pte = state.pte(running.page());
        if (pte instanceof Pte.Migration m && m.frame() == running.oldFrame()) {
            return state.withPte(running.page(), Pte.valid(running.newFrame(), perm)).withRunning(cpu, running.wrote().next());
        }
        return state.withFrame(running.newFrame(), false).withRunning(cpu, running.withNewFrame(-1).next());
    }
}
