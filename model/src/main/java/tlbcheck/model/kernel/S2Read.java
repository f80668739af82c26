package tlbcheck.model.kernel;

import tlbcheck.model.Model;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/**
 * The stage-2 walker reads the entry it will update ({@code ctx->old}). If another vCPU's handler has changed it
 * meanwhile, the walker has nothing left to do: it skips the {@code rest} ops of its change, and only those, so that
 * what follows them still runs (the unlock of {@code mmu_lock} that a walker under the lock ends with).
 */
public record S2Read(S2Change change, int rest) implements Op {

    /**
     * The read, then the ops of the change it reads for: the ones it skips when there is nothing left to do (counted
     * as the procedure will run them, {@link Seq}, {@link When} and {@link IfBbm2} flattened).
     */
    public static Op[] then(S2Change change, Op... ops) {
        Op[] all = new Op[ops.length + 1];
        all[0] = new S2Read(change, Procedure.flatten(io.vavr.collection.Array.of(ops)).size());
        System.arraycopy(ops, 0, all, 1, ops.length);
        return all;
    }

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
            return state.withRunning(cpu, running.jump(1 + rest));
        }
        return state.withRunning(cpu, running.withSnapshot(change.read(state.kvm(), running.page())).next());
    }
}
