package tlbcheck.model.kernel;

import io.vavr.control.Option;
import tlbcheck.model.Model;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/**
 * KVM's {@code invalidate_range_end} callback: bump the invalidation sequence count (every fault-in
 * that read it before now must retry), then drop the in-progress count.
 */
public record KvmInvalidateRangeEnd() implements Op {

    public static final KvmInvalidateRangeEnd INSTANCE = new KvmInvalidateRangeEnd();

    @Override
    public String name() {
        return "kvm: invalidate_range_end (seq++, in-progress--)";
    }

    /** The callback takes mmu_lock to zap (and to bump the count), so it waits for a fault-in holding it. */
    @Override
    public io.vavr.control.Option<String> refusal(Model model, State state, int cpu, Running running) {
        return state.kvm().mmuLock() ? io.vavr.control.Option.some("mmu_lock is held") : io.vavr.control.Option.none();
    }

    @Override
    public boolean ready(Model model, State state, int cpu, Running running) {
        return !state.kvm().mmuLock();
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
