package tlbcheck.properties;

import io.vavr.collection.Array;
import io.vavr.control.Option;
import tlbcheck.model.Model;
import tlbcheck.model.Transition;
import tlbcheck.model.invariant.Invariant;
import tlbcheck.model.invariant.Violation;

/**
 * An invariant violated where any of these is (the first one's violation, in their order, reported as this rule's
 * with the member's words): the reachable space does not depend on the invariant checked, so the rows a variant is
 * expected to hold can share one exhaustive search.
 */
record AnyOf(Array<Invariant> all) implements Invariant {

    @Override
    public String name() {
        return all.map(Invariant::name).mkString("+");
    }

    @Override
    public int number() {
        return 0;
    }

    @Override
    public String meaning() {
        return "any of " + name();
    }

    @Override
    public Option<Violation> check(Model model, Transition t) {
        for (Invariant i : all) {
            Option<Violation> v = i.check(model, t);
            if (v.isDefined()) return Option.some(violation(v.get().toString(), v.get().evidence()));
        }
        return Option.none();
    }
}
