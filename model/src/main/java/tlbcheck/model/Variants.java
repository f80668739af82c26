package tlbcheck.model;

import io.vavr.collection.Array;
import tlbcheck.model.kernel.FlushTlbPage;
import tlbcheck.model.kernel.KvmX86Paths;
import tlbcheck.model.kernel.Stage2Paths;
import tlbcheck.model.kernel.MmPaths;
import tlbcheck.model.kernel.NotifySecondary;
import tlbcheck.model.kernel.ResumeDevice;
import tlbcheck.model.kernel.Seq;
import tlbcheck.model.kernel.SetPteWritable;
import tlbcheck.model.kernel.SmmuInvalidateOnFault;

/** The catalogued variants V1-V13 (model/README.md, "Variants"), as values. Their expected verdicts live in the test suite only. */
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

    /** x86 KVM with an APIC-access page: one guest page suffices for the 2020 race. */
    public static final Scope X86_KVM_SCOPE = Scope.of(2, 0, 1, 2);

    /** arm64 stage 2: two guest pages under one block, and a frame to map a page to. */
    public static final Scope ARM64_KVM_SCOPE = Scope.of(2, 0, 2, 3);

    public static final Variant V7 = new Variant("V7-kvm-apic-reload-on-range-start", "V7",
            "KVM x86 reloads the APIC-access page on invalidate_range_start, without the retry check",
            Platform.X86_KVM, KvmX86Paths.kernel(KvmX86Paths.withKvm(MmPaths.LINUX_6_4, true),
                    KvmX86Paths.APIC_RELOAD_UNCHECKED), X86_KVM_SCOPE, X86_KVM_SCOPE);

    public static final Variant V8 = new Variant("V8-kvm-apic-reload-from-invalidate-range", "V8",
            "V7 'fixed' by requesting the reload from invalidate_range (KVM's co-opted use, 2020)",
            Platform.X86_KVM, KvmX86Paths.kernel(KvmX86Paths.reloadFromInvalidateRange(
                    KvmX86Paths.withKvm(MmPaths.LINUX_6_4, false)), KvmX86Paths.APIC_RELOAD_UNCHECKED),
            X86_KVM_SCOPE, X86_KVM_SCOPE);

    public static final Variant V9 = new Variant("V9-kvm-apic-reload-retry", "V9",
            "KVM x86 reloads the APIC-access page under the sequence-count retry protocol (2023)",
            Platform.X86_KVM, KvmX86Paths.kernel(KvmX86Paths.withKvm(MmPaths.LINUX_6_6, true),
                    KvmX86Paths.APIC_RELOAD_RETRY), X86_KVM_SCOPE, X86_KVM_SCOPE);

    public static final Variant V10 = new Variant("V10-s2-classic-bbm", "V10",
            "KVM arm64 stage 2: classic break-before-make, broadcast invalidation",
            Platform.arm64Kvm(0), Stage2Paths.kernel("kvm-arm64-bbm", Stage2Paths::classic),
            ARM64_KVM_SCOPE, ARM64_KVM_SCOPE);

    public static final Variant V11 = new Variant("V11-s2-bbm2-nsh", "V11",
            "FEAT_BBM level 2: skip the break, then a non-shareable invalidation after a permission change",
            Platform.arm64Kvm(2), Stage2Paths.kernel("kvm-arm64-bbm2-nsh", Stage2Paths.guarded(Stage2Paths.skipBreak(false))),
            ARM64_KVM_SCOPE, ARM64_KVM_SCOPE);

    public static final Variant V12 = new Variant("V12-s2-bbm2-broadcast", "V12",
            "as V11 with an inner-shareable invalidation; classic BBM where FEAT_BBM level 2 is absent",
            Platform.arm64Kvm(2), Stage2Paths.kernel("kvm-arm64-bbm2-is", Stage2Paths.guarded(Stage2Paths.skipBreak(true))),
            ARM64_KVM_SCOPE, ARM64_KVM_SCOPE);

    public static final Variant V13 = new Variant("V13-s2-skip-break-always", "V13",
            "skip the break whatever the FEAT_BBM level, on hardware without level 2",
            Platform.arm64Kvm(0), Stage2Paths.kernel("kvm-arm64-skip-break", Stage2Paths.skipBreak(true)),
            ARM64_KVM_SCOPE, ARM64_KVM_SCOPE);

    public static Array<Variant> all() {
        return Array.of(V1, V2, V3, V4, V5, V6, V7, V8, V9, V10, V11, V12, V13);
    }

    /** Looks a variant up by its name or its catalogue row id. */
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
