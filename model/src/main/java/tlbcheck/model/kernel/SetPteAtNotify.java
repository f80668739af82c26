package tlbcheck.model.kernel;

import tlbcheck.model.Perm;
import tlbcheck.model.Pte;
import tlbcheck.model.Model;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/**
 * {@code set_pte_at_notify} in {@code wp_page_copy}: under the page-table lock, the PTE this procedure has just
 * cleared and flushed ({@code ptep_clear_flush_notify}) maps the private copy, writable. Its {@code change_pte}
 * notifier call is left out: no subscriber the model has acts on it (KSM-style secondary MMU update), and the
 * SMMU's TLB cannot hold the cleared entry.
 */
public record SetPteAtNotify() implements Op {

    public static final SetPteAtNotify INSTANCE = new SetPteAtNotify();

    @Override
    public String name() {
        return "set_pte_at_notify (the copy, RW)";
    }

    @Override
    public boolean resolvesFault() {
        return true;
    }

    @Override
    public String skipReason(Model model, State state, int cpu, Running running) {
        return running.newFrame() < 0 ? "no copy was allocated" : "PTE is " + state.pte(running.page()) + ", not the one this fault cleared";
    }

    @Override
    public State apply(Model model, State state, int cpu, Running running) {
        Pte pte = state.pte(running.page());
        if (running.newFrame() < 0 || !pte.none()) return state.withRunning(cpu, running.next());
        Pte next = Pte.valid(running.newFrame(), Perm.RW);
        return state.withPte(running.page(), next)
                .withRunning(cpu, running.wrote().owes(state.tlbsMadeStale(running.page(), pte, next)).next());
    }
}
