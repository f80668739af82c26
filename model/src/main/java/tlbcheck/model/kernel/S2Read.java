package tlbcheck.model.kernel;

import tlbcheck.model.Model;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/** The stage-2 walker reads the entry it will update ({@code ctx->old}). */
public record S2Read(S2Change change) implements Op {

    @Override
    public String name() {
        return "read stage-2 entry";
    }

    @Override
    public io.vavr.control.Option<String> misplaced(Procedure procedure, int index) {
        return procedure.trigger().entry() == Trigger.Entry.START ? io.vavr.control.Option.none()
                : io.vavr.control.Option.some("it rechecks the procedure's trigger (" + procedure.trigger()
                        + "), which a handler entered by a fault never allows: the procedure would end at this op, doing"
                        + " nothing");
    }

    @Override
    public String skipReason(Model model, State state, int cpu, Running running) {
        return "another vCPU's handler changed the entry first";
    }

    @Override
    public State apply(Model model, State state, int cpu, Running running) {
        var procedure = model.kernel().procedure(running.procedure());
        if (!procedure.trigger().allows(state, running.page())) {
            // Another vCPU's handler got there first: nothing left to do, the guest simply retries.
            return state.withRunning(cpu, running.jump(procedure.length()));
        }
        return state.withRunning(cpu, running.withSnapshot(change.read(state.kvm(), running.page())).next());
    }
}
