package tlbcheck.properties;

import io.vavr.collection.HashMap;
import io.vavr.collection.Map;
import io.vavr.control.Option;

/**
 * The expected verdicts of the catalogue (model/README.md, "Variants"). They live here, in the test suite, and nowhere in
 * the model or the engine: the hunt must find every verdict by search.
 *
 * <p>Rows the kernel history leaves open are filled in from the variant's kernel, with the reason beside
 * them; every (variant, invariant) pair the hunt runs has an expectation, so each is a test that can
 * fail.
 */
final class Expected {

    private Expected() {}

    static final String HOLDS = "holds";
    static final String VIOLATES = "violates";

    private static final Map<String, String> VERDICTS = HashMap.ofEntries(
            // V1: seeds 000, 003: violates 1, 4 and 7.
            entry("V1", 1, VIOLATES), entry("V1", 4, VIOLATES), entry("V1", 7, VIOLATES),
            // Open in the history: V1's restrictions are invalidated from range_end and clear_flush_notify.
            entry("V1", 2, HOLDS), entry("V1", 3, HOLDS),
            // V2: holds 1-4. Open: 7, V1's kernel still floods from invalidate_range_end.
            entry("V2", 1, HOLDS), entry("V2", 2, HOLDS), entry("V2", 3, HOLDS), entry("V2", 4, HOLDS),
            entry("V2", 7, VIOLATES),
            // V3: holds 1-4, violates 7.
            entry("V3", 1, HOLDS), entry("V3", 2, HOLDS), entry("V3", 3, HOLDS), entry("V3", 4, HOLDS),
            entry("V3", 7, VIOLATES),
            // V4: holds 4, violates 1. Open: 2 and 3 as V1; 7 as V1 (the driver's own TLBI is no notifier call).
            entry("V4", 1, VIOLATES), entry("V4", 4, HOLDS), entry("V4", 2, HOLDS), entry("V4", 3, HOLDS),
            entry("V4", 7, VIOLATES),
            // V5: holds 1-4 and 7.
            entry("V5", 1, HOLDS), entry("V5", 2, HOLDS), entry("V5", 3, HOLDS), entry("V5", 4, HOLDS),
            entry("V5", 7, HOLDS),
            // V6: holds 1-4, violates 7.
            entry("V6", 1, HOLDS), entry("V6", 2, HOLDS), entry("V6", 3, HOLDS), entry("V6", 4, HOLDS),
            entry("V6", 7, VIOLATES),
            // V7: violates 6. Open: 3, the frame the VMCS still points at is freed by the unmap; 2 as V1's kernel.
            entry("V7", 6, VIOLATES), entry("V7", 3, VIOLATES), entry("V7", 2, HOLDS),
            // V8, V9: hold 6. Open: 2 and 3 hold with them.
            entry("V8", 6, HOLDS), entry("V8", 3, HOLDS), entry("V8", 2, HOLDS),
            entry("V9", 6, HOLDS), entry("V9", 3, HOLDS), entry("V9", 2, HOLDS),
            // V10: holds 2, 3, 5.
            entry("V10", 2, HOLDS), entry("V10", 3, HOLDS), entry("V10", 5, HOLDS),
            // V11: violates 2 on a permission restriction. Open: 3 (unmap keeps the break), 5 (level 2 allows size-only).
            entry("V11", 2, VIOLATES), entry("V11", 3, HOLDS), entry("V11", 5, HOLDS),
            // V12: holds 2, 3, 5.
            entry("V12", 2, HOLDS), entry("V12", 3, HOLDS), entry("V12", 5, HOLDS),
            // V13: violates 5 without level 2. Open: 2 and 3 hold, its invalidations are broadcast.
            entry("V13", 5, VIOLATES), entry("V13", 2, HOLDS), entry("V13", 3, HOLDS),
            // Open: 4 for vCPUs (seed 004's forward progress): the permission-fault handler invalidates locally
            // whether or not it changed the entry, in every arm64 variant.
            entry("V10", 4, HOLDS), entry("V11", 4, HOLDS), entry("V12", 4, HOLDS), entry("V13", 4, HOLDS),
            // 8: every catalogued handler answers the device only after its fix (the page response is the last op
            // of iopf). It speaks about device faults, so about V1-V6; the KVM variants have no device.
            entry("V1", 8, HOLDS), entry("V2", 8, HOLDS), entry("V3", 8, HOLDS), entry("V4", 8, HOLDS),
            entry("V5", 8, HOLDS), entry("V6", 8, HOLDS),
            // 9: every catalogued migration invalidates every translation of the old frame before it copies it
            // (6.4 from invalidate_range_end, which closes before the copy; 6.6 from ptep_clear_flush).
            entry("V1", 9, HOLDS), entry("V2", 9, HOLDS), entry("V3", 9, HOLDS), entry("V4", 9, HOLDS),
            entry("V5", 9, HOLDS), entry("V6", 9, HOLDS), entry("V7", 9, HOLDS), entry("V8", 9, HOLDS),
            entry("V9", 9, HOLDS),
            // 5 on stage 1 (the SMMU platforms): every catalogued procedure that changes a PTE's frame clears it
            // first (a migration entry, ptep_clear_flush before set_pte_at), so no TLB can hold two translations.
            entry("V1", 5, HOLDS), entry("V2", 5, HOLDS), entry("V3", 5, HOLDS), entry("V4", 5, HOLDS),
            entry("V5", 5, HOLDS), entry("V6", 5, HOLDS));

    private static io.vavr.Tuple2<String, String> entry(String row, int invariant, String verdict) {
        return io.vavr.Tuple.of(row + "/" + invariant, verdict);
    }

    /** Where the seeds name a fix: the variants an archived counterexample of a row must hold under. */
    static java.util.List<String> fixedBy(String row, int invariant) {
        if (invariant == 7) return java.util.List.of("V5");
        if (row.equals("V7")) return java.util.List.of("V9");
        if (row.equals("V11") || row.equals("V13")) return java.util.List.of("V12");
        if (row.equals("V1")) return java.util.List.of("V3", "V5");
        if (row.equals("V4")) return java.util.List.of("V5");
        return java.util.List.of();
    }

    /**
     * The expected verdict of a pair: the built-in catalogue's from the table above, a user catalogue's
     * from that catalogue ({@link tlbcheck.model.Catalogue#expected}), kept beside it in the test tree.
     */
    static Option<String> verdict(tlbcheck.model.Variant v, tlbcheck.model.invariant.Invariant i) {
        if (!v.row().isEmpty() && i.number() > 0) {
            Option<String> catalogued = verdict(v.row(), i.number());
            if (catalogued.isDefined()) return catalogued;
        }
        return tlbcheck.model.Catalogues.get().expected(v, i);
    }

    static java.util.List<String> fixedBy(tlbcheck.model.Variant v, tlbcheck.model.invariant.Invariant i) {
        if (!v.row().isEmpty() && i.number() > 0) return fixedBy(v.row(), i.number());
        return tlbcheck.model.Catalogues.get().ownerOf(v).map(c -> c.fixedBy(v, i)).getOrElse(java.util.List.of());
    }

    static Option<String> verdict(String row, int invariant) {
        return VERDICTS.get(row + "/" + invariant);
    }
}
