package tlbcheck.model.kernel;

import tlbcheck.model.Model;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/** The flattened form of {@link When}: checks the condition and jumps over {@code skip} ops unless it holds. */
public record SkipUnless(Condition condition, int skip) implements Op {

    @Override
    public boolean bookkeeping() {
        return true;
    }

    @Override
    public String name() {
        return "check " + condition.text();
    }

    /** Checks the PTE under the page-table lock the procedure holds, or what is one's own to check. */
    @Override
    public boolean silent() {
        return true;
    }

    @Override
    public String skipReason(Model model, State state, int cpu, Running running) {
        return condition.whyNot(state, running);
    }

    @Override
    public State apply(Model model, State state, int cpu, Running running) {
        boolean holds = condition.test(state, running);
        Running next = running.jump(holds ? 1 : 1 + skip);
        return state.withRunning(cpu, condition.readsOrigPte() ? next.withSnapshot(0) : next);
    }
}
