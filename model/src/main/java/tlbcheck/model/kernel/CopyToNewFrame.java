package tlbcheck.model.kernel;

import tlbcheck.model.Model;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/**
 * Migration / COW break: allocate the new frame and copy the old one into it. If no frame is free
 * the migration fails (-ENOMEM) rather than waits: {@link SetPteNewFrame} then restores the old PTE.
 */
public record CopyToNewFrame() implements Op {

    public static final CopyToNewFrame INSTANCE = new CopyToNewFrame();

    @Override
    public String name() {
        return "alloc new frame, copy";
    }

    @Override
    public State apply(Model model, State state, int cpu, Running running) {
        int frame = state.nextFreeFrame();
        if (running.oldFrame() < 0 || frame < 0) {
            return state.withRunning(cpu, running.next());
        }
        return state.withFrame(frame, true).withRunning(cpu, running.withNewFrame(frame).next());
    }
}
