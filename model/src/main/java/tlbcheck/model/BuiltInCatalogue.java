package tlbcheck.model;

import io.vavr.collection.Array;
import tlbcheck.model.invariant.Invariant;
import tlbcheck.model.invariant.Invariants;

/** The catalogue the project ships: variants V1-V13 and invariants 1-8. Its expected verdicts live in the test suite. */
public final class BuiltInCatalogue implements Catalogue {

    @Override public String name() { return "tlbcheck"; }
    @Override public Array<Variant> variants() { return Variants.all(); }
    @Override public Array<Invariant> invariants() { return Invariants.all(); }
}
