package tlbcheck.model;

import io.vavr.collection.Array;
import io.vavr.control.Option;
import java.util.ArrayList;
import java.util.List;
import tlbcheck.model.invariant.Invariant;
import tlbcheck.model.invariant.Violation;
import tlbcheck.model.step.Advance;
import tlbcheck.model.step.Step;

/**
 * A hand-written interleaving, built step by step against a variant, for scenario tests: write the
 * steps of a race as the mailing-list thread tells it, look at the state after each, and ask which
 * invariant the whole list violates. Every step goes through {@link Model#fire}, so a step that is not
 * enabled where it stands fails at once with its reason.
 *
 * <pre>{@code
 * Scenario s = new Scenario(Variants.V1)
 *         .then(new DeviceIssue(0, 0, true), new DeviceAccess(0))
 *         .then(new HandleDeviceFault(0, 0)).finish(0);
 * assertEquals(Pte.valid(0, Perm.RO), s.state().smmuTlb(0, 0));
 * assertTrue(s.violationOf(NoStaleSecondaryTlb.INSTANCE).isDefined());
 * }</pre>
 */
public final class Scenario {

    private final Model model;
    private State state;
    private final List<Step> steps = new ArrayList<>();

    public Scenario(Variant variant) {
        this.model = new Model(variant);
        this.state = model.initial();
    }

    public Model model() {
        return model;
    }

    /** Takes these steps, in order. */
    public Scenario then(Step... more) {
        for (Step step : more) {
            state = model.fire(state, step).after();
            steps.add(step);
        }
        return this;
    }

    /** Runs the procedure on this CPU to its end. */
    public Scenario finish(int cpu) {
        while (state.running(cpu).isDefined()) {
            then(new Advance(cpu));
        }
        return this;
    }

    /** The state after the steps taken so far. */
    public State state() {
        return state;
    }

    public Array<Step> steps() {
        return Array.ofAll(steps);
    }

    public int length() {
        return steps.size();
    }

    /** Replays the steps under one invariant; the first violation and the number of steps it took. */
    public Option<Violation> violationOf(Invariant invariant) {
        return Replay.run(model, steps, List.of(invariant)).violation();
    }

    /** How many steps the replay takes up to the first violation (all of them when there is none). */
    public int stepsUntilViolationOf(Invariant invariant) {
        return Replay.run(model, steps, List.of(invariant)).transitions().size();
    }
}
