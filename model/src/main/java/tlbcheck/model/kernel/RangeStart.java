package tlbcheck.model.kernel;

import tlbcheck.model.Model;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/**
 * {@code mmu_notifier_invalidate_range_start}: opens the procedure's notifier range. The SVA driver
 * does nothing here; subscribers that act (KVM) follow it as ops of their own in the variant's paths.
 */
public record RangeStart() implements Op {

    public static final RangeStart INSTANCE = new RangeStart();

    @Override
    public String name() {
        return "mmu_notifier_invalidate_range_start";
    }

    @Override
    public State apply(Model model, State state, int cpu, Running running) {
        return state.withRunning(cpu, running.withInRange(true).next());
    }
}
