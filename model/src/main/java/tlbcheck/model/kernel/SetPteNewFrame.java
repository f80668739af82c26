package tlbcheck.model.kernel;

import tlbcheck.model.Model;
import tlbcheck.model.Perm;
import tlbcheck.model.Pte;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/**
 * {@code remove_migration_pte}: replace this procedure's migration entry by the new frame. If the
 * copy failed for want of a frame, put the old frame back instead (the migration failed and keeps
 * its page). If the entry is gone (the range was zapped meanwhile), the new frame is freed and the
 * old one is left for this procedure to free.
 */
public record SetPteNewFrame(Perm perm) implements Op {

    @Override
    public String name() {
        return "set PTE to new frame " + perm;
    }

    @Override
    public State apply(Model model, State state, int cpu, Running running) {
        Pte pte = state.pte(running.page());
        boolean ours = running.oldFrame() >= 0 && pte instanceof Pte.Migration m && m.frame() == running.oldFrame();
        if (running.newFrame() < 0) {
            if (!ours) return state.withRunning(cpu, running.next());
            Pte restored = Pte.valid(running.oldFrame(), perm);
            return state.withPte(running.page(), restored).withRunning(cpu,
                    running.wrote().owes(state.tlbsMadeStale(running.page(), pte, restored)).withOldFrame(-1).next());
        }
        if (ours) {
            Pte next = Pte.valid(running.newFrame(), perm);
            return state.withPte(running.page(), next)
                    .withRunning(cpu, running.wrote().owes(state.tlbsMadeStale(running.page(), pte, next)).next());
        }
        return state.withFrame(running.newFrame(), false).withRunning(cpu, running.withNewFrame(-1).next());
    }
}
