package tlbcheck.model.kernel;

import io.vavr.control.Option;
import tlbcheck.model.Model;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/** {@code pte_offset_map_lock}: take the page-table lock of the procedure's page. */
public record PtlLock() implements Op {

    public static final PtlLock INSTANCE = new PtlLock();

    @Override
    public boolean bookkeeping() {
        return true;
    }

    @Override
    public String name() {
        return "pte_offset_map_lock";
    }

    @Override
    public Option<String> refusal(Model model, State state, int cpu, Running running) {
        return state.locks().ptlHeld(running.page())
                ? Option.some("the page-table lock of page " + running.page() + " is held")
                : Option.none();
    }

    @Override
    public boolean ready(Model model, State state, int cpu, Running running) {
        return !state.locks().ptlHeld(running.page());
    }

    @Override
    public State apply(Model model, State state, int cpu, Running running) {
        return state.withLocks(state.locks().withPtl(running.page(), true)).withRunning(cpu, running.next());
    }
}
