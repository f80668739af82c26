package tlbcheck.model;

/**
 * The hardware a variant runs on.
 *
 * @param btm whether the SMMUs snoop broadcast CPU TLB invalidations (broadcast TLB maintenance)
 * @param bbmLevel the FEAT_BBM level (0, 1 or 2): at level 2 a TLB may hold two entries that
 *     differ only in block size without a conflict
 * @param guest which KVM, if any, runs a VM
 * @param hostMm for an arm64 guest: whether its memory is the process's (a VMM's anonymous memory, as in a real VM):
 *     stage 2 is faulted in from the process PTEs and KVM subscribes to the process's mmu notifier, so an munmap or
 *     a migration on the host reaches the guest. Without it, guest memory is one stage-2 block KVM owns.
 * @param bbmNoAbort at FEAT_BBM level 2, whether the hardware has the no-abort property (Linux's BBML2_NOABORT): a TLB
 *     holding two entries that differ only in size returns one of them. Without it the hardware may raise a TLB
 *     conflict abort instead, so even a size-only overlap is a conflict. Every built-in platform has it.
 * @param x86 whether the host is x86 rather than arm64 (an x86 guest implies it): no BTM, since an IOMMU never
 *     sees the CPUs' shootdown IPIs, and no FEAT_BBM. The model's steps are the same; the name a trace gives is not.
 * @param ats whether the devices use PCIe ATS: each caches translations in its own ATC (address translation cache),
 *     filled from its SMMU's TLB or a walk. BTM never reaches an ATC, so the SVA driver invalidates it from the mmu
 *     notifier even where BTM invalidated the SMMU's TLB ({@code arm_smmu_atc_inv_domain}), and after the TLB, or the
 *     device refills its ATC from the stale TLB entry.
 */
public record Platform(boolean btm, int bbmLevel, Guest guest, boolean hostMm, boolean bbmNoAbort, boolean x86,
                       boolean ats) {

    public Platform {
        x86 = x86 || guest.x86();
        if (x86 && (btm || bbmLevel > 0 || guest == Guest.ARM64_STAGE2)) {
            throw new IllegalArgumentException("an x86 host has no BTM, no FEAT_BBM and no arm64 stage 2; got btm=" + btm
                    + ", FEAT_BBM level " + bbmLevel + ", guest " + guest);
        }
    }

    public Platform(boolean btm, int bbmLevel, Guest guest) {
        this(btm, bbmLevel, guest, false);
    }

    public Platform(boolean btm, int bbmLevel, Guest guest, boolean hostMm) {
        this(btm, bbmLevel, guest, hostMm, true);
    }

    public Platform(boolean btm, int bbmLevel, Guest guest, boolean hostMm, boolean bbmNoAbort) {
        this(btm, bbmLevel, guest, hostMm, bbmNoAbort, false, false);
    }

    /** The same hardware without the no-abort property: FEAT_BBM level 2 that may raise a TLB conflict abort. */
    public Platform mayRaiseConflictAbort() {
        return new Platform(btm, bbmLevel, guest, hostMm, false, x86, ats);
    }

    /** The same hardware with PCIe ATS: every device behind an SMMU caches translations in its own ATC. */
    public Platform withAts() {
        return new Platform(btm, bbmLevel, guest, hostMm, bbmNoAbort, x86, true);
    }

    /** Whether a TLB may hold two entries of one frame that differ only in size without a conflict (abort). */
    public boolean sizeChangeWithoutBreak() {
        return bbm2() && bbmNoAbort;
    }

    /**
     * The VM a platform runs, which decides what KVM state the model has. An x86 VM has the APIC-access page only
     * when KVM virtualises the local APIC with it (VMX's APIC-access page, {@code APIC_ACCESS_PAGE_PRIVATE_MEMSLOT});
     * without it, stage 2 (EPT/NPT) is the guest's only cache of the process's translations.
     */
    public enum Guest {
        NONE, X86, X86_APIC, ARM64_STAGE2;

        public boolean x86() {
            return this == X86 || this == X86_APIC;
        }
    }

    public static final Platform SMMU_WITHOUT_BTM = new Platform(false, 0, Guest.NONE);
    public static final Platform SMMU_WITH_BTM = new Platform(true, 0, Guest.NONE);
    public static final Platform X86_KVM = new Platform(false, 0, Guest.X86_APIC);

    /**
     * An x86 host without a VM: mm bugs of x86's own (the batched reclaim flush was x86-only until arm64 took it up in
     * 6.x), with an IOMMU where the scope has SMMUs, which never snoops CPU invalidations.
     */
    public static final Platform X86 = new Platform(false, 0, Guest.NONE, false, true, true, false);

    /** x86 KVM, with or without the APIC-access page ({@link #X86_KVM} has it). */
    public static Platform x86Kvm(boolean apicAccessPage) {
        return new Platform(false, 0, apicAccessPage ? Guest.X86_APIC : Guest.X86);
    }

    /** Whether the VMCS caches a frame as the APIC-access page, reloaded on KVM_REQ_APIC_PAGE_RELOAD. */
    public boolean apicAccessPage() {
        return guest == Guest.X86_APIC;
    }

    public static Platform arm64Kvm(int bbmLevel) {
        return new Platform(false, bbmLevel, Guest.ARM64_STAGE2);
    }

    /** arm64 KVM whose guest memory is backed by the process page table, under the host's mmu notifier. */
    public static Platform arm64KvmOnHostMm(int bbmLevel) {
        return new Platform(false, bbmLevel, Guest.ARM64_STAGE2, true);
    }

    public boolean bbm2() {
        return bbmLevel >= 2;
    }

    /**
     * The hardware as a trace names it in {@code scope}: without a VM and without SMMUs in the scope, just the CPU
     * architecture, where {@link #toString} would name an SMMU the scope does not have.
     */
    public String in(Scope scope) {
        if (guest == Guest.NONE && scope.smmus() == 0) return x86 ? "x86" : "arm64";
        return toString();
    }

    @Override
    public String toString() {
        switch (guest) {
            case X86_APIC: return "x86+KVM(APIC-access page)";
            case X86: return "x86+KVM(no APIC-access page)";
            case ARM64_STAGE2: return "arm64+KVM(stage-2, FEAT_BBM level " + bbmLevel + (bbm2() && !bbmNoAbort ? " without no-abort" : "")
                    + (hostMm ? ", on the host mm" : "") + ")";
            default: return (x86 ? "x86+IOMMU" : btm ? "arm64+SMMUv3(BTM" : "arm64+SMMUv3(no BTM")
                    + (x86 ? ats ? "(ATS)" : "" : ats ? ", ATS)" : ")");
        }
    }
}
