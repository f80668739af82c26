package tlbcheck.properties;

import io.vavr.collection.Array;
import io.vavr.control.Option;
import java.util.List;
import tlbcheck.model.Catalogue;
import tlbcheck.model.Scope;
import tlbcheck.model.Variant;
import tlbcheck.model.Variants;
import tlbcheck.model.invariant.Invariant;
import tlbcheck.model.kernel.ClearPte;
import tlbcheck.model.kernel.FlushTlbPage;
import tlbcheck.model.kernel.FreeOldFrame;
import tlbcheck.model.kernel.Kernel;
import tlbcheck.model.kernel.MmapLock;
import tlbcheck.model.kernel.MmapUnlock;
import tlbcheck.model.kernel.MovePageTable;
import tlbcheck.model.kernel.Op;
import tlbcheck.model.kernel.Procedure;
import tlbcheck.model.kernel.PtlLock;
import tlbcheck.model.kernel.PtlUnlock;
import tlbcheck.model.kernel.RmapLock;
import tlbcheck.model.kernel.Trigger;

/**
 * A public historical bug written through the extension API: commit 97113eb39fa7 "mm/mremap: hold the rmap lock in
 * write mode when moving page table entries". mremap's PMD fast path moves a whole page-table page to the new address
 * without the PTE table's lock. Reclaim's rmap walk computed the old address, took the PTE table's lock and holds a
 * pointer into it; the table moves under it, a CPU caches the new address, and reclaim's {@code ptep_clear_flush}
 * clears the entry (now the new address's) but flushes the old address. The frame is freed while a TLB still maps
 * it. The fix takes the rmap lock for write around the move, so no rmap walk is inside the table meanwhile.
 */
public final class MremapRmapLock implements Catalogue {

    /** try_to_unmap_one under the rmap walk: page_vma_mapped_walk locks the PTE, ptep_clear_flush, put the page. */
    static final Procedure RECLAIM = Procedure.of("try_to_unmap_one", Trigger.PTE_VALID,
            RmapLock.READ, PtlLock.INSTANCE, Op.named("ptep_clear_flush", ClearPte.RMAP_UNMAP),
            FlushTlbPage.broadcast("flush_tlb_page"), PtlUnlock.INSTANCE, RmapLock.READ_UNLOCK, FreeOldFrame.INSTANCE);

    /** mremap of the range's first page to its last, by moving the page table (move_normal_pmd). */
    static Procedure mremap(boolean rmapLocked) {
        return rmapLocked
                ? Procedure.ranged("mremap", Trigger.PTE_VALID, MmapLock.WRITE, RmapLock.WRITE, MovePageTable.INSTANCE,
                        RmapLock.WRITE_UNLOCK, MmapUnlock.WRITE)
                : Procedure.ranged("mremap", Trigger.PTE_VALID, MmapLock.WRITE, MovePageTable.INSTANCE, MmapUnlock.WRITE);
    }

    /**
     * V5's migration as the kernel walks it: try_to_migrate and remove_migration_ptes are rmap walks under the rmap
     * lock (held here across both, so a page table does not move between them: the model's walks go by address).
     */
    static Procedure migrateUnderRmapLock() {
        Procedure m = Variants.V5.kernel().find("migrate").get();
        return new Procedure(m.name(), m.trigger(), Array.<Op>of(RmapLock.READ).appendAll(m.ops()).append(RmapLock.READ_UNLOCK));
    }

    private static Variant variant(String name, String summary, boolean rmapLocked) {
        Kernel kernel = Variants.V5.kernel().with(migrateUnderRmapLock()).plus(RECLAIM).plus(mremap(rmapLocked));
        Scope scope = Scope.of(2, 0, 2, 2).withRange(2);
        return Variants.V5.withKernel(name, summary, kernel).withScopes(scope, scope);
    }

    static final Variant BUG = variant("mremap-pmd-move-without-rmap-lock",
            "mremap moves a page table under an rmap walker that holds its lock (before 97113eb39fa7)", false);

    static final Variant FIX = variant("mremap-pmd-move-rmap-locked",
            "97113eb39fa7: the page-table move holds the rmap lock for write", true);

    @Override public String name() { return "worked-example-97113eb39fa7"; }

    @Override public Array<Variant> variants() { return Array.of(BUG, FIX); }

    @Override public Option<String> expected(Variant variant, Invariant invariant) {
        if (invariant.number() == 3) return Option.some(variant == BUG ? Expected.VIOLATES : Expected.HOLDS);
        return variant == FIX && invariant.number() == 2 ? Option.some(Expected.HOLDS) : Option.none();
    }

    @Override public List<String> fixedBy(Variant variant, Invariant invariant) {
        return List.of(FIX.name());
    }
}
