package tlbcheck.model.invariant;

import io.vavr.control.Option;
import tlbcheck.model.Model;
import tlbcheck.model.Transition;

/**
 * A property every transition must keep (model/README.md, "Invariants"). Checked after every step, so a
 * shortest counterexample is a finite prefix.
 */
public interface Invariant {

    /** Short stable name, used in test names, reports and counterexample files. */
    String name();

    /** Its number in the catalogue (model/README.md), or 0 for a rule of one's own. */
    int number();

    /** One line a reviewer can read. */
    String meaning();

    /** Whether the invariant speaks about the actors this model has. */
    default boolean appliesTo(Model model) {
        return true;
    }

    Option<Violation> check(Model model, Transition transition);

    /**
     * Whether the state after this transition is inside the race this invariant is about (for
     * example "an SMMU entry differs from its PTE while a procedure is in flight"). The hunt counts
     * the runs that reach one, so that a "holds" verdict comes with evidence the race was reached.
     * The default: some TLB entry differs from a PTE whose maintenance is still pending.
     */
    default boolean racy(Model model, Transition transition) {
        return Races.staleWhilePending(transition.after(), true);
    }

    /** Names the racy state of {@link #racy}, for coverage reports. */
    default String racyState() {
        return "a TLB entry differs from its PTE while the procedure that wrote it is in flight";
    }

    default Violation violation(String explanation, String evidence) {
        return new Violation(name(), number(), explanation, evidence);
    }
}
