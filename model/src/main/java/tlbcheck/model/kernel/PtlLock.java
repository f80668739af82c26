package tlbcheck.model.kernel;

import io.vavr.control.Option;
import tlbcheck.model.Model;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/**
 * {@code pte_offset_map_lock}: take the page-table lock of the procedure's page, or of every page of its range (the
 * kernel's one lock per page-table page covers a whole range; the model's lock per page is finer, so a range
 * takes all of its pages' locks at once).
 */
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
        for (int p = running.page(); p <= running.lastPage(); p++) {
            if (state.locks().ptlHeld(running.slot(p))) {
                return Option.some("the page-table lock of page " + running.slot(p) + " is held");
            }
        }
        return Option.none();
    }

    @Override
    public boolean ready(Model model, State state, int cpu, Running running) {
        for (int p = running.page(); p <= running.lastPage(); p++) {
            if (state.locks().ptlHeld(running.slot(p))) return false;
        }
        return true;
    }

    @Override
    public State apply(Model model, State state, int cpu, Running running) {
        var locks = state.locks();
        for (int p = running.page(); p <= running.lastPage(); p++) locks = locks.withPtl(running.slot(p), true);
        return state.withLocks(locks).withRunning(cpu, running.next());
    }
}
