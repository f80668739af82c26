package tlbcheck.model.kernel;

import io.vavr.collection.Array;
import tlbcheck.model.Model;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/**
 * Ops that run only if a condition holds when the procedure reaches them: a check of the PTE ({@link PteCondition}), or
 * one of one's own ({@link Condition#of}).
 */
public record When(Condition condition, Array<Op> body) implements Op {

    public static When of(Condition condition, Op... body) {
        return new When(condition, Array.of(body));
    }

    @Override
    public String name() {
        return "if " + condition.text();
    }

    @Override
    public State apply(Model model, State state, int cpu, Running running) {
        throw new IllegalStateException("When is flattened into a SkipUnless and never runs itself");
    }
}
