package tlbcheck.model.kernel;

import tlbcheck.model.Model;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/**
 * {@code mmu_notifier_invalidate_range_end}. Whether it also invalidates secondary TLBs is not in
 * this op: variants that do put a {@link NotifySecondary} before it.
 */
public record RangeEnd() implements Op {

    public static final RangeEnd INSTANCE = new RangeEnd();

    @Override
    public String name() {
        return "mmu_notifier_invalidate_range_end";
    }

    @Override
    public State apply(Model model, State state, int cpu, Running running) {
        return state.withRunning(cpu, running.withInRange(false).next());
    }
}
