package tlbcheck.model.kernel;

import tlbcheck.model.Model;
import tlbcheck.model.Perm;
import tlbcheck.model.Pte;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/** {@code set_pte_at} (or {@code remove_migration_pte}): map the page to the new frame. */
public record SetPteNewFrame(Perm perm) implements Op {

    @Override
    public String name() {
        return "set PTE to new frame " + perm;
    }

    @Override
    public State apply(Model model, State state, int cpu, Running running) {
        if (running.newFrame() < 0 || state.pte(running.page()).present()) {
            return state.withRunning(cpu, running.next());
        }
        return state.withPte(running.page(), Pte.valid(running.newFrame(), perm)).withRunning(cpu, running.wrote().next());
    }
}
