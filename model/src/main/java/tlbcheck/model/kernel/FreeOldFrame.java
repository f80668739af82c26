package tlbcheck.model.kernel;

import tlbcheck.model.Model;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/** {@code put_page} of the frame this procedure unmapped: from here on it may be reused. */
public record FreeOldFrame() implements Op {

    public static final FreeOldFrame INSTANCE = new FreeOldFrame();

    @Override
    public String name() {
        return "free old frame";
    }

    @Override
    public String skipReason(Model model, State state, int cpu, Running running) {
        return "no frame was unmapped";
    }

    @Override
    public State apply(Model model, State state, int cpu, Running running) {
        if (running.oldFrame() < 0) {
            return state.withRunning(cpu, running.next());
        }
        return state.withFrame(running.oldFrame(), false).withRunning(cpu, running.withOldFrame(-1).next());
    }
}
