package tlbcheck.model;

import io.vavr.collection.Array;
import io.vavr.control.Option;
import tlbcheck.model.invariant.Invariant;
import tlbcheck.model.invariant.Violation;
import tlbcheck.model.step.Step;

/**
 * Runs a fixed list of steps from the initial state, checking invariants after each step, and stops
 * at the first violation. The same list always gives the same transitions: replay is exact.
 */
public final class Replay {

    private Replay() {}

    /**
     * The outcome of a replay.
     *
     * @param transitions the steps taken, up to and including the violating one
     * @param violation the first violation, if any
     */
    public record Outcome(Array<Transition> transitions, Option<Violation> violation) {

        public State finalState(Model model) {
            return transitions.isEmpty() ? model.initial() : transitions.last().after();
        }

        public Array<Step> steps() {
            return transitions.map(Transition::step);
        }
    }

    /** Thrown when a step of the list is not enabled where it stands. */
    public static final class StepNotEnabled extends IllegalStateException {
        private static final long serialVersionUID = 1L;
        private final int index;

        StepNotEnabled(int index, Step step, String reason) {
            super("step " + (index + 1) + " (" + step + ") is not enabled: " + reason);
            this.index = index;
        }

        /** Zero-based position of the refused step. */
        public int index() {
            return index;
        }
    }

    public static Outcome run(Model model, Iterable<Step> steps, Iterable<Invariant> invariants) {
        State s = model.initial();
        java.util.List<Transition> done = new java.util.ArrayList<>();
        int i = 0;
        for (Step step : steps) {
            Option<String> why = step.refusal(model, s);
            if (why.isDefined()) {
                throw new StepNotEnabled(i, step, why.get());
            }
            Transition t = step.fire(model, s);
            done.add(t);
            for (Invariant inv : invariants) {
                Option<Violation> v = inv.check(model, t);
                if (v.isDefined()) {
                    return new Outcome(Array.ofAll(done), Option.some(v.get().of(inv)));
                }
            }
            s = t.after();
            i++;
        }
        return new Outcome(Array.ofAll(done), Option.none());
    }
}
