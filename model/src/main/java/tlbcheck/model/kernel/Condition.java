package tlbcheck.model.kernel;

import java.util.function.BiPredicate;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/**
 * What a kernel path checks before it acts ({@link When}): the built-in checks of the PTE ({@link PteCondition}), or
 * one of a user's own, such as {@code mm_tlb_flush_pending(mm)}, written with {@link #of}.
 */
public interface Condition {

    /** The check as the kernel writes it: printed in traces ("check ...", "if ..."). */
    String text();

    /** Whether it holds for this procedure in flight, in this state. */
    boolean test(State state, Running running);

    /** Why it does not hold, for a trace's "skipped ... (reason)". */
    default String whyNot(State state, Running running) {
        return "not " + text();
    }

    /**
     * Whether the check reads the PTE the fault read ({@link OrigPte}), as its last use: the check forgets it after,
     * so that two states that differ only in a value nothing reads again are one (a dead variable, to the search).
     */
    default boolean readsOrigPte() {
        return false;
    }

    /**
     * A check of one's own, e.g. {@code Condition.of("mm_tlb_flush_pending", (s, r) ->
     * s.locks().tlbFlushPending() > 0)}. It may read anything in the state and the procedure; the explorer then takes
     * the step that makes it as touching everything, and keeps the numbers of pages and frames (the check may tell them
     * apart), so it costs the search some of its reductions, never a state.
     */
    static Condition of(String text, BiPredicate<State, Running> test) {
        return new Own(text, test);
    }

    /** A check written with {@link #of}. */
    record Own(String text, BiPredicate<State, Running> predicate) implements Condition {
        public Own {
            com.google.common.base.Preconditions.checkArgument(!text.isBlank(), "a condition needs its kernel text");
        }

        @Override
        public boolean test(State state, Running running) {
            return predicate.test(state, running);
        }
    }
}
