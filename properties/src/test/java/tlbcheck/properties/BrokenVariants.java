package tlbcheck.properties;

import io.vavr.collection.Array;
import io.vavr.control.Option;
import java.util.List;
import tlbcheck.model.Catalogue;
import tlbcheck.model.Perm;
import tlbcheck.model.Variant;
import tlbcheck.model.Variants;
import tlbcheck.model.invariant.FaultAnsweredAfterResolved;
import tlbcheck.model.invariant.Invariant;
import tlbcheck.model.invariant.NoLostWrite;
import tlbcheck.model.kernel.CopyToNewFrame;
import tlbcheck.model.kernel.FreeOldFrame;
import tlbcheck.model.kernel.MmPaths;
import tlbcheck.model.kernel.Procedure;
import tlbcheck.model.kernel.PteCondition;
import tlbcheck.model.kernel.PtlLock;
import tlbcheck.model.kernel.PtlUnlock;
import tlbcheck.model.kernel.SetPteNewFrame;
import tlbcheck.model.kernel.Trigger;
import tlbcheck.model.kernel.When;

/**
 * Variants that break a rule on purpose, one per rule that no catalogued variant breaks, so that each
 * rule is shown to bite: hunted, explored, archived and replayed like any other row.
 */
public final class BrokenVariants implements Catalogue {

    /**
     * Linux 6.4's migration as this model once transcribed it: invalidate_range_end (and with it the SMMU
     * invalidation) after the copy and the new PTE. A device writing through its stale SMMU entry after
     * the copy writes to the old frame: the write is lost.
     */
    static final Variant MIGRATE_RANGE_END_AFTER_COPY = Variants.V1.withKernel("V1-migrate-range-end-after-copy",
            "V1 whose migration closes its notifier range after the copy and the new PTE",
            Variants.V1.kernel().with(Procedure.of("migrate", Trigger.PTE_VALID,
                    MmPaths.LINUX_6_4.rangeStart(), PtlLock.INSTANCE,
                    When.of(PteCondition.VALID, MmPaths.LINUX_6_4.ptepClearFlush()),
                    PtlUnlock.INSTANCE, CopyToNewFrame.INSTANCE,
                    PtlLock.INSTANCE, new SetPteNewFrame(Perm.RO), PtlUnlock.INSTANCE,
                    MmPaths.LINUX_6_4.rangeEnd(), FreeOldFrame.INSTANCE)));

    @Override public String name() { return "broken-on-purpose"; }

    @Override public Array<Variant> variants() {
        return Array.of(MIGRATE_RANGE_END_AFTER_COPY, EarlyPageResponseTest.EARLY_RESPONSE);
    }

    @Override public Option<String> expected(Variant variant, Invariant invariant) {
        if (variant == MIGRATE_RANGE_END_AFTER_COPY && invariant == NoLostWrite.INSTANCE) return Option.some(Expected.VIOLATES);
        if (variant == EarlyPageResponseTest.EARLY_RESPONSE && invariant == FaultAnsweredAfterResolved.INSTANCE) {
            return Option.some(Expected.VIOLATES);
        }
        return Option.none();
    }

    @Override public List<String> fixedBy(Variant variant, Invariant invariant) {
        return List.of(variant == MIGRATE_RANGE_END_AFTER_COPY ? "V1" : "V5");
    }
}
