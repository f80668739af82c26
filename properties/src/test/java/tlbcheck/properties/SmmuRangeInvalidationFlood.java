package tlbcheck.properties;

import io.vavr.collection.Array;
import io.vavr.control.Option;
import java.util.List;
import tlbcheck.model.Catalogue;
import tlbcheck.model.Scope;
import tlbcheck.model.Variant;
import tlbcheck.model.Variants;
import tlbcheck.model.invariant.Invariant;
import tlbcheck.model.invariant.SecondaryMirrorsCpuFlush;
import tlbcheck.model.kernel.FlushTlbPage;
import tlbcheck.model.kernel.MmPaths;
import tlbcheck.model.kernel.NotifySecondary;
import tlbcheck.model.kernel.Seq;

/**
 * A public historical bug written through the extension API: commit d5afb4b47e13 "iommu/arm-smmu-v3: Fix soft
 * lockup triggered by arm_smmu_mm_invalidate_range". arm64's {@code __flush_tlb_range} flushes a range above
 * {@code MAX_TLBI_OPS} pages with one TLBI by ASID ({@code flush_tlb_mm}), but the SMMU driver invalidated the
 * range the notifier passed it page by page, one command each: for a large range, enough commands to lock the CPU
 * up. The fix invalidates the whole ASID above {@code CMDQ_MAX_TLBI_OPS}. Invariant 7 counts commands, so the
 * flood is a CPU flush matched by more secondary invalidations than it has. Scaled down: the threshold is one page,
 * so a two-page munmap or mprotect is "large".
 */
public final class SmmuRangeInvalidationFlood implements Catalogue {

    static MmPaths paths(String name, NotifySecondary driver) {
        FlushTlbPage flush = FlushTlbPage.broadcast("__flush_tlb_range").wholeMmAbove(1);
        return MmPaths.LINUX_6_6.named(name)
                .withFlushTlbRange(Seq.of("flush_tlb_range", flush, driver))
                .withTlbFlushMmu(Seq.of("tlb_flush_mmu", flush, driver));
    }

    static final Variant BUG = variant("smmu-inv-range-per-page",
            "arm_smmu_mm_invalidate_range by VA, one command per page, whatever the size (before d5afb4b47e13)",
            NotifySecondary.withFlush("arm_smmu_mm_invalidate_range"));

    static final Variant FIX = variant("smmu-inv-range-asid-above-threshold",
            "d5afb4b47e13: above CMDQ_MAX_TLBI_OPS, arm_smmu_tlb_inv_asid",
            NotifySecondary.withFlush("arm_smmu_mm_invalidate_range").wholeAsidAbove(1));

    private static Variant variant(String name, String summary, NotifySecondary driver) {
        Scope scope = Scope.of(1, 1, 2, 2).withRange(2);
        return Variants.V5.withKernel(name, summary, paths(name, driver).kernel()).withScopes(scope, scope);
    }

    @Override public String name() { return "worked-example-d5afb4b47e13"; }

    @Override public Array<Variant> variants() { return Array.of(BUG, FIX); }

    @Override public Option<String> expected(Variant variant, Invariant invariant) {
        if (invariant == SecondaryMirrorsCpuFlush.INSTANCE) {
            return Option.some(variant == BUG ? Expected.VIOLATES : Expected.HOLDS);
        }
        // The flood is a matter of counts only: what each TLB holds is right in both.
        return invariant.number() >= 1 && invariant.number() <= 3 ? Option.some(Expected.HOLDS) : Option.none();
    }

    @Override public List<String> fixedBy(Variant variant, Invariant invariant) {
        return List.of(FIX.name());
    }
}
