package tlbcheck.model.kernel;

import io.vavr.control.Option;
import tlbcheck.model.Model;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/** Migration / COW break: allocate the new frame and copy the old one into it. */
public record CopyToNewFrame() implements Op {

    public static final CopyToNewFrame INSTANCE = new CopyToNewFrame();

    @Override
    public String name() {
        return "alloc new frame, copy";
    }

    @Override
    public Option<String> refusal(Model model, State state, int cpu, Running running) {
        return running.oldFrame() >= 0 && state.lowestFreeFrame() < 0 ? Option.some("no frame is free") : Option.none();
    }

    @Override
    public State apply(Model model, State state, int cpu, Running running) {
        if (running.oldFrame() < 0) {
            return state.withRunning(cpu, running.next());
        }
        int frame = state.lowestFreeFrame();
        return state.withFrame(frame, true).withRunning(cpu, running.withNewFrame(frame).next());
    }
}
