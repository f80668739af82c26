package tlbcheck.properties;

import io.vavr.collection.Array;
import io.vavr.control.Option;
import java.util.List;
import tlbcheck.model.Catalogue;
import tlbcheck.model.Platform;
import tlbcheck.model.Variant;
import tlbcheck.model.Variants;
import tlbcheck.model.invariant.Invariant;
import tlbcheck.model.kernel.MmPaths;
import tlbcheck.model.kernel.NotifySecondary;
import tlbcheck.model.kernel.Seq;

/**
 * SVA with PCIe ATS: each device caches translations in its ATC, filled from its SMMU's TLB. BTM never reaches an
 * ATC, so the arm-smmu-v3 SVA notifier ({@code arm_smmu_mm_arch_invalidate_secondary_tlbs}) skips the TLB command
 * under BTM but always sends {@code arm_smmu_atc_inv_domain}, and sends it after the TLB invalidation has completed:
 * before it, the device may refill its ATC from the TLB entry about to be invalidated. Two drivers that get one of
 * those wrong, and the two that get them right, all on Linux 6.6's paths. One page shows each.
 */
public final class SvaAtcInvalidation implements Catalogue {

    /**
     * One CPU changes the PTE, one device caches it: a second CPU adds nothing an ordering bug of the driver needs, and
     * on an ATS platform, without renaming or sleep sets, it multiplies the states searched by 10. The hunt walks two.
     */
    static final tlbcheck.model.Scope SMALL = tlbcheck.model.Scope.of(1, 1, 1, 2);

    private static Variant variant(String name, String summary, Platform platform, MmPaths paths) {
        return new Variant(name, "", summary, platform.withAts(), paths.kernel(), Variants.SMMU_SMALL_SCOPE, SMALL);
    }

    static final Variant NO_BTM = variant("sva-ats", "Linux 6.6 SVA without BTM, devices with ATS: TLB, then ATC",
            Platform.SMMU_WITHOUT_BTM, MmPaths.LINUX_6_6);

    static final Variant ATC_FIRST = variant("sva-ats-atc-before-tlb",
            "the ATC invalidated before the SMMU TLB, at every notifier call", Platform.SMMU_WITHOUT_BTM,
            MmPaths.LINUX_6_6.named("linux-6.6+atc-first").mapOps(op -> op instanceof NotifySecondary n
                    ? Seq.of(n.site(), n.atcOnly(), n.withoutAtc()) : op));

    static final Variant BTM = variant("sva-btm-ats", "Linux 6.6 SVA with BTM and ATS: the notifier invalidates the ATC",
            Platform.SMMU_WITH_BTM, MmPaths.LINUX_6_6);

    static final Variant BTM_TLB_ONLY = variant("sva-btm-ats-tlb-only",
            "with BTM the driver sends nothing, as if the broadcast TLBI reached the ATC too", Platform.SMMU_WITH_BTM,
            MmPaths.LINUX_6_6.named("linux-6.6+no-atc-inv").mapOps(op -> op instanceof NotifySecondary n
                    ? n.withoutAtc() : op));

    @Override public String name() { return "worked-example-sva-ats"; }

    @Override public Array<Variant> variants() { return Array.of(NO_BTM, ATC_FIRST, BTM, BTM_TLB_ONLY); }

    @Override public Option<String> expected(Variant variant, Invariant invariant) {
        if (invariant.number() < 1 || invariant.number() > 3) return Option.none();
        return Option.some(variant == ATC_FIRST || variant == BTM_TLB_ONLY ? Expected.VIOLATES : Expected.HOLDS);
    }

    @Override public List<String> fixedBy(Variant variant, Invariant invariant) {
        return List.of(variant == ATC_FIRST ? NO_BTM.name() : BTM.name());
    }
}
