package tlbcheck.model.kernel;

import io.vavr.control.Option;
import tlbcheck.model.Model;
import tlbcheck.model.Perm;
import tlbcheck.model.Pte;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/** {@code do_anonymous_page}: allocate a frame and map it, writable for a write fault. */
public record MapNewFrame() implements Op {

    public static final MapNewFrame INSTANCE = new MapNewFrame();

    @Override
    public String name() {
        return "alloc frame, set PTE";
    }

    @Override
    public Option<String> refusal(Model model, State state, int cpu, Running running) {
        return state.pte(running.page()).none() && state.lowestFreeFrame() < 0
                ? Option.some("no frame is free") : Option.none();
    }

    @Override
    public State apply(Model model, State state, int cpu, Running running) {
        if (!state.pte(running.page()).none()) {
            return state.withRunning(cpu, running.next());
        }
        int frame = state.lowestFreeFrame();
        return state.withFrame(frame, true)
                .withPte(running.page(), Pte.valid(frame, running.write() ? Perm.RW : Perm.RO))
                .withRunning(cpu, running.wrote().withNewFrame(frame).next());
    }
}
