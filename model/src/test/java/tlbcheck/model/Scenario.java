package tlbcheck.model;

import io.vavr.collection.Array;
import io.vavr.control.Option;
import java.util.ArrayList;
import java.util.List;
import tlbcheck.model.invariant.Invariant;
import tlbcheck.model.invariant.Violation;
import tlbcheck.model.step.Advance;
import tlbcheck.model.step.Step;

/** A hand-written interleaving, built step by step against a variant so tests can look at each state. */
final class Scenario {

    final Model model;
    private State state;
    private final List<Step> steps = new ArrayList<>();

    Scenario(Variant variant) {
        this.model = new Model(variant);
        this.state = model.initial();
    }

    Scenario then(Step... more) {
        for (Step step : more) {
            state = model.fire(state, step).after();
            steps.add(step);
        }
        return this;
    }

    /** Runs the procedure on this CPU to its end. */
    Scenario finish(int cpu) {
        while (state.running(cpu).isDefined()) {
            then(new Advance(cpu));
        }
        return this;
    }

    State state() {
        return state;
    }

    Array<Step> steps() {
        return Array.ofAll(steps);
    }

    int length() {
        return steps.size();
    }

    /** Replays the steps under one invariant; the first violation and the number of steps it took. */
    Option<Violation> violationOf(Invariant invariant) {
        return Replay.run(model, steps, List.of(invariant)).violation();
    }

    int stepsUntilViolationOf(Invariant invariant) {
        return Replay.run(model, steps, List.of(invariant)).transitions().size();
    }
}
