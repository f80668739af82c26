package tlbcheck.properties;

import static tlbcheck.model.kernel.PteCondition.READ_ONLY;
import static tlbcheck.model.kernel.PteCondition.SAME_AS_FAULTED;

import io.vavr.collection.Array;
import io.vavr.control.Option;
import java.util.List;
import tlbcheck.model.Catalogue;
import tlbcheck.model.Scope;
import tlbcheck.model.Variant;
import tlbcheck.model.Variants;
import tlbcheck.model.invariant.Invariant;
import tlbcheck.model.kernel.AllocFrame;
import tlbcheck.model.kernel.Condition;
import tlbcheck.model.kernel.FlushTlbPage;
import tlbcheck.model.kernel.FreeOldFrame;
import tlbcheck.model.kernel.Kernel;
import tlbcheck.model.kernel.MmPaths;
import tlbcheck.model.kernel.MmapLock;
import tlbcheck.model.kernel.MmapUnlock;
import tlbcheck.model.kernel.Op;
import tlbcheck.model.kernel.OrigPte;
import tlbcheck.model.kernel.Procedure;
import tlbcheck.model.kernel.PtlLock;
import tlbcheck.model.kernel.PtlUnlock;
import tlbcheck.model.kernel.ReleaseUnusedFrame;
import tlbcheck.model.kernel.Seq;
import tlbcheck.model.kernel.SetPteAtNotify;
import tlbcheck.model.kernel.TlbFlushPending;
import tlbcheck.model.kernel.Trigger;
import tlbcheck.model.kernel.WriteProtectPte;
import tlbcheck.model.kernel.When;

/**
 * 6ce64428d620 "mm/userfaultfd: fix memory corruption due to writeprotect" (Nadav Amit, 2021), first written from the
 * README by a first-time user; the fix is one condition of its own and the flush it guards.
 * UFFDIO_WRITEPROTECT: mwriteprotect_range -> change_protection under mmap_read_lock, flush deferred to the end of
 * change_protection_range (inc/dec_tlb_flush_pending around it). A write fault on the now read-only PTE copies the
 * page (wp_page_copy) while another CPU still writes the old page through a stale writable TLB entry: lost write.
 * Fix: do_wp_page flushes the page when userfaultfd_wp(vma) && mm_tlb_flush_pending(mm), before the copy.
 */
public final class UffdWriteProtect implements Catalogue {

    /** mwriteprotect_range -> change_protection (5.11): mmap READ lock, deferred flush_tlb_range. */
    static final Procedure UFFD_WP = Procedure.ranged("uffd_wp", Trigger.ANY,
            MmapLock.READ,
            Op.named("change_protection_range -> inc_tlb_flush_pending", TlbFlushPending.INC),
            PtlLock.INSTANCE,
            Op.named("change_pte_range: pte_wrprotect + pte_mkuffd_wp", WriteProtectPte.INSTANCE),
            PtlUnlock.INSTANCE,
            FlushTlbPage.broadcast("flush_tlb_range"),
            Op.named("dec_tlb_flush_pending", TlbFlushPending.DEC),
            MmapUnlock.READ);

    /**
     * The fix's check in do_wp_page, under the PTL: {@code userfaultfd_wp(vma) && mm_tlb_flush_pending(mm)} (every VMA
     * here is uffd-wp), then flush this page though the fault changed no PTE yet. do_wp_page runs only on a PTE still
     * read-only when the fault takes the PTL, hence the READ_ONLY around it.
     */
    static final When FLUSH_IF_PENDING = When.of(
            Condition.of("userfaultfd_pte_wp && mm_tlb_flush_pending", (s, r) -> s.locks().tlbFlushPending() > 0),
            FlushTlbPage.broadcast("flush_tlb_page").always());

    static final MmPaths P = MmPaths.LINUX_6_4;

    /**
     * do_wp_page -> wp_page_copy (5.11), with or without 6ce64428d620's flush before the copy: the built-in cow's ops
     * ({@link MmPaths#cow}), with do_wp_page's part under the PTL, where the fix puts its check.
     */
    static Procedure cow(boolean fixed) {
        Op entry = fixed ? Seq.of("do_wp_page", OrigPte.INSTANCE, When.of(READ_ONLY, FLUSH_IF_PENDING))
                : Seq.of("do_wp_page", OrigPte.INSTANCE);
        return Procedure.of("cow", Trigger.PTE_READ_ONLY,
                MmapLock.READ, PtlLock.INSTANCE, entry, PtlUnlock.INSTANCE,
                When.of(READ_ONLY, Op.named("alloc page, cow_user_page", AllocFrame.INSTANCE)),
                P.rangeStart(), PtlLock.INSTANCE,
                When.of(SAME_AS_FAULTED, P.ptepClearFlushNotify(), SetPteAtNotify.INSTANCE), ReleaseUnusedFrame.INSTANCE,
                PtlUnlock.INSTANCE, P.rangeOnlyEnd(), FreeOldFrame.INSTANCE, MmapUnlock.READ);
    }

    /** One page, written once already: the bug needs a writable mapping to write-protect, and nothing before that. */
    static final Scope SCOPE = Scope.of(2, 0, 1, 2).withWritable(1);

    static final Variant BUG = Variants.V5.withKernel("uffd-wp-deferred-flush",
            "5.11: UFFDIO_WRITEPROTECT under mmap_read_lock defers its flush; wp_page_copy copies regardless",
            Kernel.of("linux-5.11-uffd", UFFD_WP, cow(false))).withScopes(SCOPE, SCOPE);

    static final Variant FIX = Variants.V5.withKernel("uffd-wp-cow-flushes-pending",
            "6ce64428d620: do_wp_page flushes the page when a flush is pending on a uffd-wp VMA",
            Kernel.of("linux-5.12-uffd", UFFD_WP, cow(true))).withScopes(SCOPE, SCOPE);

    @Override public String name() { return "uffd-wp-6ce64428"; }
    @Override public Array<Variant> variants() { return Array.of(BUG, FIX); }

    @Override public Option<String> expected(Variant variant, Invariant invariant) {
        switch (invariant.name()) {
            case "no-lost-write": return Option.some(variant == BUG ? Expected.VIOLATES : Expected.HOLDS);
            case "no-stale-access-after-restriction": case "no-use-after-free": return Option.some(Expected.HOLDS);
            default: return Option.none();
        }
    }

    @Override public List<String> fixedBy(Variant variant, Invariant invariant) { return List.of(FIX.name()); }
}
