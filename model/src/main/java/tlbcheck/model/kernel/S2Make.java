package tlbcheck.model.kernel;

import io.vavr.control.Option;
import tlbcheck.model.Model;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/**
 * Make: write the new stage-2 entry. After a break it is a plain store; with {@code cas} it is the
 * FEAT_BBM level 2 path that skips the break and CASes the old entry straight to the new one
 * ({@code stage2_try_make_pte}), returning -EAGAIN if another handler changed it first.
 */
public record S2Make(S2Change change, boolean cas) implements Op {

    @Override
    public String name() {
        return cas ? "CAS stage-2 entry old -> new (no break)" : "write new stage-2 entry (make)";
    }

    @Override
    public Option<String> refusal(Model model, State state, int cpu, Running running) {
        return change == S2Change.MAP && state.nextFreeFrame() < 0 ? Option.some("no frame is free") : Option.none();
    }

    @Override
    public String skipReason(Model model, State state, int cpu, Running running) {
        return "the CAS failed (-EAGAIN): another walker changed the entry";
    }

    @Override
    public State apply(Model model, State state, int cpu, Running running) {
        var k = state.kvm();
        if (cas && change.read(k, running.page()) != running.snapshot()) {
            return state.withRunning(cpu, running.jump(model.kernel().procedure(running.procedure()).length()));
        }
        if (!cas && !running.wrotePte()) {
            return state.withRunning(cpu, running.next());
        }
        State s = state;
        int frame = -1;
        if (change == S2Change.MAP) {
            frame = s.nextFreeFrame();
            s = s.withFrame(frame, true);
        }
        var made = change.made(k, running.page(), running.snapshot(), frame);
        return s.withKvm(made).withRunning(cpu, running.wrote().owes(k.vcpusMadeStale(running.page(), k.mapping(running.page()), made.mapping(running.page()))).next());
    }
}
