package tlbcheck.model;

import io.vavr.collection.Array;
import tlbcheck.model.kernel.FlushTlbPage;
import tlbcheck.model.kernel.MmPaths;
import tlbcheck.model.kernel.NotifySecondary;
import tlbcheck.model.kernel.ResumeDevice;
import tlbcheck.model.kernel.Seq;
import tlbcheck.model.kernel.SetPteWritable;
import tlbcheck.model.kernel.SmmuInvalidateOnFault;

/** The variants of DOMAIN.md section 5, as values. Their expected verdicts live in the test suite only. */
public final class Variants {

    private Variants() {}

    /** The hunt's scope for the SMMU variants. */
    public static final Scope SMMU_SCOPE = Scope.of(2, 1, 2, 3);

    /** Exhaustive search's scope for them: every V1-V6 bug needs only one page. */
    public static final Scope SMMU_SMALL_SCOPE = Scope.of(2, 1, 1, 2);

    public static final Variant V1 = new Variant("V1-linux-6.4-noBTM", "V1",
            "arm64 + SMMUv3 without BTM, Linux 6.4: invalidate_range from clear_flush_notify and range_end only",
            Platform.SMMU_WITHOUT_BTM, MmPaths.LINUX_6_4.kernel(), SMMU_SCOPE, SMMU_SMALL_SCOPE);

    public static final Variant V2 = new Variant("V2-linux-6.4-BTM", "V2",
            "as V1, SMMU with BTM (snoops broadcast TLBI)",
            Platform.SMMU_WITH_BTM, MmPaths.LINUX_6_4.kernel(), SMMU_SCOPE, SMMU_SMALL_SCOPE);

    public static final Variant V3 = new Variant("V3-notify-on-upgrade", "V3",
            "V1 + 'arm64: Notify on pte permission upgrades': invalidate_range in ptep_set_access_flags",
            Platform.SMMU_WITHOUT_BTM,
            MmPaths.LINUX_6_4.named("linux-6.4+notify-upgrade").withPtepSetAccessFlags(Seq.of("ptep_set_access_flags",
                    SetPteWritable.INSTANCE, FlushTlbPage.broadcast("flush_tlb_page"),
                    NotifySecondary.always("ptep_set_access_flags->invalidate_range"))).kernel(),
            SMMU_SCOPE, SMMU_SMALL_SCOPE);

    public static final Variant V4 = new Variant("V4-smmu-inv-on-fault", "V4",
            "V1 + the SMMU driver invalidates its TLB when it resolves a device fault (-rc alternative)",
            Platform.SMMU_WITHOUT_BTM,
            MmPaths.LINUX_6_4.named("linux-6.4+iopf-inv").withIopfResume(Seq.of("iopf resume",
                    SmmuInvalidateOnFault.INSTANCE, ResumeDevice.INSTANCE)).kernel(),
            SMMU_SCOPE, SMMU_SMALL_SCOPE);

    public static final Variant V5 = new Variant("V5-arch-invalidate-secondary-tlbs", "V5",
            "arch_invalidate_secondary_tlbs from the arm64 arch flush, 1:1, not from invalidate_range_end",
            Platform.SMMU_WITHOUT_BTM, MmPaths.LINUX_6_6.kernel(), SMMU_SCOPE, SMMU_SMALL_SCOPE);

    public static final Variant V6 = new Variant("V6-arch-flush-and-range-end", "V6",
            "V5 without its last patch: still invalidating from invalidate_range_end",
            Platform.SMMU_WITHOUT_BTM,
            MmPaths.LINUX_6_6.named("linux-6.6-rc").withRangeEnd(Seq.of("invalidate_range_end",
                    NotifySecondary.always("range_end->arch_invalidate_secondary_tlbs"),
                    tlbcheck.model.kernel.RangeEnd.INSTANCE)).kernel(),
            SMMU_SCOPE, SMMU_SMALL_SCOPE);

    public static Array<Variant> all() {
        return Array.of(V1, V2, V3, V4, V5, V6);
    }

    /** Looks a variant up by its name or its DOMAIN.md row id. */
    public static Variant byName(String name) {
        for (Variant v : all()) {
            if (v.name().equalsIgnoreCase(name) || v.row().equalsIgnoreCase(name)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown variant '" + name + "'; known: "
                + all().map(v -> v.row() + " (" + v.name() + ")").mkString(", "));
    }
}
