package tlbcheck.model.invariant;

import tlbcheck.model.Model;
import tlbcheck.model.Transition;

/** Names the procedure a transition finished, for explanations. */
final class Blame {

    private Blame() {}

    static String finished(Model model, Transition t) {
        return t.completed()
                .map(r -> model.kernel().procedure(r.procedure()).name() + " on " + t.step().actor() + " completed")
                .getOrElse("no procedure is in flight on it");
    }
}
