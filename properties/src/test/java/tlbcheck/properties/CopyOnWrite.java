package tlbcheck.properties;

import io.vavr.collection.Array;
import io.vavr.control.Option;
import java.util.List;
import tlbcheck.model.Catalogue;
import tlbcheck.model.Variant;
import tlbcheck.model.Variants;
import tlbcheck.model.invariant.Invariant;
import tlbcheck.model.kernel.ClearPte;
import tlbcheck.model.kernel.FlushTlbPage;
import tlbcheck.model.kernel.MmPaths;
import tlbcheck.model.kernel.Seq;

/**
 * Copy-on-write ({@code wp_page_copy}) as its own procedure, beside the catalogue's kernels rather than in them (it
 * multiplies every SMMU row's state space). Linux 6.4 clears the old PTE with {@code ptep_clear_flush_notify} and
 * closes its notifier range with {@code mmu_notifier_invalidate_range_only_end}: the notifier call comes from the
 * clear, not from the end. Linux 6.6 uses plain {@code ptep_clear_flush}, whose arch flush calls
 * {@code arch_invalidate_secondary_tlbs}. The counter-variant is the 6.4 path with the notifier call taken out of
 * the clear (what {@code try_to_migrate_one} may do, because its range end notifies, and COW may not): the SMMU keeps
 * translating the old page after it is put.
 */
public final class CopyOnWrite implements Catalogue {

    static final Variant COW_6_4 = Variants.V1.withKernel("V1-cow", "V1 with wp_page_copy: ptep_clear_flush_notify,"
            + " then invalidate_range_only_end", Variants.V1.kernel().plus(MmPaths.LINUX_6_4.cow()));

    static final Variant COW_6_6 = Variants.V5.withKernel("V5-cow", "V5 with wp_page_copy: ptep_clear_flush, whose"
            + " flush_tlb_page calls arch_invalidate_secondary_tlbs", Variants.V5.kernel().plus(MmPaths.LINUX_6_6.cow()));

    static final Variant COW_NO_NOTIFY = Variants.V1.withKernel("V1-cow-plain-clear-flush", "V1 with a wp_page_copy"
            + " that clears with plain ptep_clear_flush and ends with invalidate_range_only_end: no notifier call at all",
            Variants.V1.kernel().plus(MmPaths.LINUX_6_4.withPtepClearFlushNotify(Seq.of("ptep_clear_flush (wp_page_copy)",
                    ClearPte.UNMAP, FlushTlbPage.broadcast("ptep_clear_flush"))).cow()));

    @Override public String name() { return "copy-on-write"; }

    @Override public Array<Variant> variants() { return Array.of(COW_6_4, COW_6_6, COW_NO_NOTIFY); }

    /**
     * Invariants 3 and 9 are the copy's: the old page is put only once every translation of it is gone, and no write
     * reaches it after the copy. V1's own violations (1, 4, 7) are the upgrade path's and stay out of these rows.
     */
    @Override public Option<String> expected(Variant variant, Invariant invariant) {
        int n = invariant.number();
        if (variant == COW_NO_NOTIFY) return n == 3 ? Option.some(Expected.VIOLATES) : Option.none();
        if (variant == COW_6_4) return n == 2 || n == 3 || n == 9 ? Option.some(Expected.HOLDS) : Option.none();
        return n == 1 || n == 2 || n == 3 || n == 7 || n == 9 ? Option.some(Expected.HOLDS) : Option.none();
    }

    @Override public List<String> fixedBy(Variant variant, Invariant invariant) {
        return List.of(COW_6_4.name());
    }
}
