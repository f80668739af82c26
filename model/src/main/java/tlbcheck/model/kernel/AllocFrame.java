package tlbcheck.model.kernel;

import io.vavr.control.Option;
import tlbcheck.model.Model;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/**
 * {@code alloc_zeroed_user_highpage}: the fault path allocates its page before it takes the
 * page-table lock, so waiting for memory never holds the lock others need to free some.
 */
public record AllocFrame() implements Op {

    public static final AllocFrame INSTANCE = new AllocFrame();

    @Override
    public String name() {
        return "alloc frame";
    }

    @Override
    public Option<String> refusal(Model model, State state, int cpu, Running running) {
        return state.nextFreeFrame() < 0 ? Option.some("no frame is free") : Option.none();
    }

    @Override
    public boolean ready(Model model, State state, int cpu, Running running) {
        return state.nextFreeFrame() >= 0;
    }

    @Override
    public State apply(Model model, State state, int cpu, Running running) {
        int frame = state.nextFreeFrame();
        return state.withFrame(frame, true).withRunning(cpu, running.withNewFrame(frame).next());
    }
}
