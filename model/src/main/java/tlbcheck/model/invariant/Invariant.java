package tlbcheck.model.invariant;

import io.vavr.control.Option;
import tlbcheck.model.Model;
import tlbcheck.model.Transition;

/**
 * A property every transition must keep (DOMAIN.md section 4). Checked after every step, so a
 * shortest counterexample is a finite prefix.
 */
public interface Invariant {

    /** Short stable name, used in test names, reports and counterexample files. */
    String name();

    /** The number in DOMAIN.md section 4. */
    int number();

    /** One line a reviewer can read. */
    String meaning();

    /** Whether the invariant speaks about the actors this model has. */
    default boolean appliesTo(Model model) {
        return true;
    }

    Option<Violation> check(Model model, Transition transition);

    default Violation violation(String explanation, String evidence) {
        return new Violation(name(), number(), explanation, evidence);
    }
}
