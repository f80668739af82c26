package tlbcheck.model.kernel;

import io.vavr.control.Option;
import tlbcheck.model.Model;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/**
 * KVM's {@code invalidate_range_end} callback: bump the invalidation sequence count (every fault-in
 * that read it before now must retry), then drop the in-progress count.
 */
public record KvmInvalidateRangeEnd() implements TakesMmuLock {

    public static final KvmInvalidateRangeEnd INSTANCE = new KvmInvalidateRangeEnd();

    @Override
    public String name() {
        return "kvm: invalidate_range_end (seq++, in-progress--)";
    }

    @Override
    public State apply(Model model, State state, int cpu, Running running) {
        var k = state.kvm();
        if (!k.present()) return state.withRunning(cpu, running.next());
        State s = state.withKvm(k.withInvalidating(k.invalidating() - 1));
        for (int c = 0; c < s.cpus(); c++) {
            Option<Running> r = c == cpu ? Option.none() : s.running(c);
            if (r.isDefined() && !r.get().seqMoved()) s = s.withRunning(c, r.get().withSeqMoved());
        }
        return s.withRunning(cpu, running.next());
    }
}
