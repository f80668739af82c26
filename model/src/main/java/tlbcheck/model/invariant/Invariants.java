package tlbcheck.model.invariant;

import io.vavr.collection.Array;

/** The catalogued invariants (model/README.md, "Invariants") that the model checks. */
public final class Invariants {

    private Invariants() {}

    public static Array<Invariant> all() {
        return Array.of(NoStaleSecondaryTlb.INSTANCE, NoStaleAccessAfterRestriction.INSTANCE, NoUseAfterFree.INSTANCE,
                ForwardProgress.INSTANCE, BreakBeforeMake.INSTANCE, KvmMapsNothingStale.INSTANCE,
                SecondaryMirrorsCpuFlush.INSTANCE, FaultAnsweredAfterResolved.INSTANCE, NoLostWrite.INSTANCE);
    }

    public static Invariant byName(String name) {
        for (Invariant i : all()) {
            if (i.name().equalsIgnoreCase(name) || String.valueOf(i.number()).equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("unknown invariant '" + name + "'; known: "
                + all().map(i -> i.number() + " (" + i.name() + ")").mkString(", "));
    }
}
