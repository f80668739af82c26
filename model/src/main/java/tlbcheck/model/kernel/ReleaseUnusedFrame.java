package tlbcheck.model.kernel;

import tlbcheck.model.Model;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/** Gives back a frame the fault path allocated but did not map (another path mapped the page first). */
public record ReleaseUnusedFrame() implements Op {

    public static final ReleaseUnusedFrame INSTANCE = new ReleaseUnusedFrame();

    @Override
    public String name() {
        return "put unused page";
    }

    /** Part of the step that found the PTE already mapped. */
    @Override
    public boolean silent() {
        return true;
    }

    @Override
    public State apply(Model model, State state, int cpu, Running running) {
        int frame = running.newFrame();
        if (frame < 0 || state.pte(running.page()).frame() == frame) return state.withRunning(cpu, running.next());
        return state.withFrame(frame, false).withRunning(cpu, running.withNewFrame(-1).next());
    }
}
