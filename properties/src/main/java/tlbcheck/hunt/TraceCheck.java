package tlbcheck.hunt;

import io.vavr.collection.Array;
import java.util.List;
import tlbcheck.model.Model;
import tlbcheck.model.Replay;
import tlbcheck.model.invariant.Invariant;
import tlbcheck.model.invariant.Violation;
import tlbcheck.model.step.Step;

/**
 * The checker checks itself: every trace tlbcheck prints or writes is replayed through the model before
 * it is reported, independently of whatever produced it (the shrinker, the explorer's trace rebuild, a
 * file read back). It must violate the same invariant at its last step and not before.
 */
public final class TraceCheck {

    private TraceCheck() {}

    /** The violation at the trace's last step; throws if the trace does not end at its first violation. */
    public static Violation verify(Model model, Invariant invariant, Array<Step> trace, String source) {
        Replay.Outcome r = Replay.run(model, trace, List.of(invariant));
        if (r.violation().isEmpty()) {
            throw new IllegalStateException("tlbcheck bug: the " + source + " trace of " + trace.size() + " steps does not"
                    + " violate " + invariant.name() + " under " + model.variant().name() + " when replayed");
        }
        if (r.transitions().size() != trace.size()) {
            throw new IllegalStateException("tlbcheck bug: the " + source + " trace of " + trace.size() + " steps violates "
                    + invariant.name() + " already at step " + r.transitions().size() + "; a counterexample ends at its"
                    + " first violation");
        }
        return r.violation().get();
    }
}
