package tlbcheck.model.kernel;

import tlbcheck.model.Model;
import tlbcheck.model.Pte;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/** {@code ptep_get_and_clear}: unmap the page (or install a migration entry), remembering the frame to free. */
public record ClearPte() implements Op {

    public static final ClearPte INSTANCE = new ClearPte();

    @Override
    public String name() {
        return "clear PTE";
    }

    @Override
    public State apply(Model model, State state, int cpu, Running running) {
        Pte pte = state.pte(running.page());
        if (pte.present()) {
            return state.withPte(running.page(), Pte.INVALID)
                    .withRunning(cpu, running.wrote().withOldFrame(pte.frame()).next());
        }
        return state.withRunning(cpu, running.next());
    }
}
