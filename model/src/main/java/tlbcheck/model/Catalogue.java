package tlbcheck.model;

import io.vavr.collection.Array;
import io.vavr.control.Option;
import java.util.List;
import tlbcheck.model.invariant.Invariant;

/**
 * A set of variants and invariants found by name everywhere tlbcheck takes one: {@code -Dtlbcheck.variant}
 * and {@code -Dtlbcheck.invariant}, the rerun line of a failure, the command line, and the archive. The
 * catalogue V1-V13 with invariants 1-8 is one ({@link BuiltInCatalogue}); a user adds theirs by
 * implementing this interface in their own file and naming the class in
 * {@code META-INF/services/tlbcheck.model.Catalogue} (for a catalogue in the test tree,
 * {@code src/test/resources/META-INF/services/tlbcheck.model.Catalogue}). {@link Catalogues} loads them
 * all with {@link java.util.ServiceLoader}.
 *
 * <p>Expected verdicts belong with the tests, never with the model: a user catalogue kept in the test
 * tree states them in {@link #expected}; the built-in catalogue's are in the test suite.
 */
public interface Catalogue {

    /** A short name for messages. */
    String name();

    Array<Variant> variants();

    /** Invariants of this catalogue; a user's own rule may have number 0 and is found by name. */
    default Array<Invariant> invariants() {
        return Array.empty();
    }

    /** The verdict ("holds" or "violates") this catalogue's tests expect for a pair, if it has one. */
    default Option<String> expected(Variant variant, Invariant invariant) {
        return Option.none();
    }

    /**
     * The hunt's walks for a pair whose bug the default 10,000 do not find (its row then fails with "lost its teeth",
     * showing the shortest trace exhaustive search finds): more walks, still a count, so the verdict is the same on any
     * machine. None: the default. {@code -Dtlbcheck.tries} and the deep hunt override it.
     */
    default Option<Integer> huntTries(Variant variant, Invariant invariant) {
        return Option.none();
    }

    /** Variants an archived counterexample of this pair must hold under (its fix). */
    default List<String> fixedBy(Variant variant, Invariant invariant) {
        return List.of();
    }
}
