package tlbcheck.model.kernel;

import tlbcheck.model.Model;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/** Jumps over the next {@code skip} ops: the else-branch's end. */
public record Goto(int skip) implements Op {

    @Override
    public boolean bookkeeping() {
        return true;
    }

    @Override
    public String name() {
        return "goto";
    }

    @Override
    public boolean silent() {
        return true;
    }

    @Override
    public String skipReason(Model model, State state, int cpu, Running running) {
        return "the other branch ran";
    }

    @Override
    public State apply(Model model, State state, int cpu, Running running) {
        return state.withRunning(cpu, running.jump(1 + skip));
    }
}
