package tlbcheck.properties;

import io.vavr.collection.Array;
import io.vavr.control.Option;
import java.util.List;
import tlbcheck.model.Catalogue;
import tlbcheck.model.Platform;
import tlbcheck.model.Scope;
import tlbcheck.model.Variant;
import tlbcheck.model.Variants;
import tlbcheck.model.invariant.Invariant;
import tlbcheck.model.kernel.ClearPte;
import tlbcheck.model.kernel.FlushTlbPage;
import tlbcheck.model.kernel.FreeOldFrame;
import tlbcheck.model.kernel.Kernel;
import tlbcheck.model.kernel.KvmX86Paths;
import tlbcheck.model.kernel.MmPaths;
import tlbcheck.model.kernel.MmapTryLock;
import tlbcheck.model.kernel.MmapUnlock;
import tlbcheck.model.kernel.Op;
import tlbcheck.model.kernel.Procedure;
import tlbcheck.model.kernel.PtlLock;
import tlbcheck.model.kernel.PtlUnlock;
import tlbcheck.model.kernel.RmapLock;
import tlbcheck.model.kernel.Trigger;

/**
 * f268f6cf875f "mm/khugepaged: invoke MMU notifiers in shmem/file collapse paths" (Jann Horn, 2022), written from the
 * README by a first-time user. khugepaged's {@code collapse_pte_mapped_thp()} (and {@code retract_page_tables()})
 * remove the page table of a PTE-mapped file/shmem THP with {@code pmdp_collapse_flush()}: clear the PMD, flush the
 * CPU TLBs ({@code flush_tlb_range}), free the page table, drop the page's map counts and references. Until the fix
 * no {@code mmu_notifier_invalidate_range_start/end} surrounded it, so a secondary MMU (here an SMMU doing SVA) kept
 * translating the pages; once the page cache lets go of them, the device reaches a freed page. The fix wraps the
 * clear in a notifier range.
 *
 * <p>Platform: arm64 + SMMUv3 without BTM. With BTM the SMMU obeys the CPU's broadcast TLBI from
 * {@code flush_tlb_range}, which would hide a missing notifier call (the unfixed kernel on V2's platform holds 1, 2 and
 * 3 over 12,351 states; the device's ATC, which BTM does not reach, is not modelled); and on Linux 6.6+ (V5)
 * {@code __flush_tlb_range} itself calls {@code arch_invalidate_secondary_tlbs}, which would hide it too. The bug's
 * kernel (5.4-6.0) notifies SVA from {@code invalidate_range_end} only, as V1-V3 do. The base is V3 (V1 with
 * the permission-upgrade notifier) so that the device fault handler's upgrade does not bring V1's own invariant 1
 * violation into these rows.
 *
 * <p>Approximation: the page's last reference is the page cache's, dropped later by truncate or reclaim, which find
 * no mapping left to notify about. The model has no page-cache reference, so the collapse procedure puts the frame
 * itself at its end.
 */
public final class KhugepagedCollapseNotify implements Catalogue {

    private static final MmPaths PATHS = MmPaths.LINUX_6_4;

    /**
     * khugepaged_collapse_pte_mapped_thps (mmap_write_trylock) -> collapse_pte_mapped_thp (5.10): i_mmap_lock_write,
     * pmd_lock, pmdp_collapse_flush, unlock, pte_free; with the fix, inside a notifier range.
     */
    static Procedure collapse(boolean fixed) {
        return collapse(PATHS, fixed);
    }

    /** The same, with the notifier range of {@code paths} (its subscribers' callbacks included). */
    static Procedure collapse(MmPaths paths, boolean fixed) {
        Op take = Op.named("khugepaged: mmap_write_trylock", MmapTryLock.WRITE);
        Op iMmap = Op.named("i_mmap_lock_write", RmapLock.WRITE);
        Op pmdLock = Op.named("pmd_lock", PtlLock.INSTANCE);
        Op clear = Op.named("pmdp_collapse_flush: pmdp_huge_get_and_clear", ClearPte.UNMAP);
        Op flush = FlushTlbPage.broadcast("pmdp_collapse_flush -> flush_tlb_range");
        Op pmdUnlock = Op.named("spin_unlock(pmd ptl); pte_free", PtlUnlock.INSTANCE);
        Op iMmapUnlock = Op.named("i_mmap_unlock_write", RmapLock.WRITE_UNLOCK);
        Op put = Op.named("truncate_inode_pages: put_page (page cache's last reference)", FreeOldFrame.INSTANCE);
        return fixed
                ? Procedure.of("collapse_pte_mapped_thp", Trigger.PTE_VALID, take, iMmap, paths.rangeStart(), pmdLock,
                        clear, flush, pmdUnlock, paths.rangeEnd(), iMmapUnlock, MmapUnlock.WRITE, put)
                : Procedure.of("collapse_pte_mapped_thp", Trigger.PTE_VALID, take, iMmap, pmdLock,
                        clear, flush, pmdUnlock, iMmapUnlock, MmapUnlock.WRITE, put);
    }

    private static Kernel kernel(boolean fixed) {
        Kernel v3 = Variants.V3.kernel();
        return Kernel.of(fixed ? "linux-6.1-khugepaged-notify" : "linux-6.0-khugepaged",
                v3.find("map").get(), v3.find("iopf").get(), collapse(fixed));
    }

    private static Variant variant(String name, String summary, boolean fixed) {
        return Variants.V3.withKernel(name, summary, kernel(fixed));
    }

    static final Variant BUG = variant("khugepaged-collapse-no-notify",
            "collapse_pte_mapped_thp clears the PMD with pmdp_collapse_flush outside any mmu notifier range", false);

    static final Variant FIX = variant("khugepaged-collapse-notify",
            "f268f6cf875f: pmdp_collapse_flush inside mmu_notifier_invalidate_range_start/end", true);

    /**
     * KVM as the secondary MMU (the commit's own example): an x86 VM without the APIC-access page, whose only cache of
     * the process's translations is stage 2, filled by kvm_faultin_pfn under the retry protocol. KVM learns of a
     * change only from its invalidate_range_start/end callbacks, so the unfixed collapse leaves stage 2 mapping the
     * page.
     */
    private static final MmPaths KVM_PATHS = KvmX86Paths.withKvm(MmPaths.LINUX_6_4, false);

    private static Variant kvmVariant(String name, String summary, boolean fixed) {
        Kernel kernel = Kernel.of(fixed ? "linux-6.1-khugepaged-notify+kvm" : "linux-6.0-khugepaged+kvm",
                KVM_PATHS.procedure("map"), KvmX86Paths.FAULT_IN, collapse(KVM_PATHS, fixed));
        return new Variant(name, "", summary, Platform.x86Kvm(false), kernel, Scope.of(2, 0, 2, 3), Scope.of(2, 0, 1, 2));
    }

    static final Variant KVM_BUG = kvmVariant("khugepaged-collapse-no-notify-kvm",
            "unfixed collapse_pte_mapped_thp under an x86 VM: KVM's stage 2 keeps the page", false);

    static final Variant KVM_FIX = kvmVariant("khugepaged-collapse-notify-kvm",
            "f268f6cf875f under an x86 VM: KVM's range callbacks zap stage 2", true);

    @Override public String name() { return "khugepaged-collapse-notify"; }

    @Override public Array<Variant> variants() { return Array.of(BUG, FIX, KVM_BUG, KVM_FIX); }

    @Override public Option<String> expected(Variant variant, Invariant invariant) {
        switch (invariant.name()) {
            case "no-stale-secondary-tlb": case "no-stale-access-after-restriction": case "no-use-after-free":
                if (variant == KVM_BUG || variant == KVM_FIX) {
                    // No SMMU on the VM's platform: the use after free, and stage 2 at rest (below), are KVM's rows.
                    if (!invariant.name().equals("no-use-after-free")) return Option.none();
                    return Option.some(variant == KVM_BUG ? Expected.VIOLATES : Expected.HOLDS);
                }
                return Option.some(variant == BUG ? Expected.VIOLATES : Expected.HOLDS);
            case "kvm-maps-nothing-stale":
                if (variant == KVM_BUG || variant == KVM_FIX) {
                    return Option.some(variant == KVM_BUG ? Expected.VIOLATES : Expected.HOLDS);
                }
                return Option.none();
            default: return Option.none();
        }
    }

    @Override public List<String> fixedBy(Variant variant, Invariant invariant) {
        return List.of(variant == KVM_BUG ? KVM_FIX.name() : FIX.name());
    }
}
