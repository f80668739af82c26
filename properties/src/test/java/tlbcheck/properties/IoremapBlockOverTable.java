package tlbcheck.properties;

import io.vavr.collection.Array;
import io.vavr.control.Option;
import java.util.List;
import tlbcheck.model.Catalogue;
import tlbcheck.model.Scope;
import tlbcheck.model.Variant;
import tlbcheck.model.Variants;
import tlbcheck.model.invariant.BreakBeforeMake;
import tlbcheck.model.invariant.Invariant;
import tlbcheck.model.invariant.NoUseAfterFree;
import tlbcheck.model.kernel.ClearPte;
import tlbcheck.model.kernel.FlushTlbPage;
import tlbcheck.model.kernel.FreeOldFrame;
import tlbcheck.model.kernel.Kernel;
import tlbcheck.model.kernel.MapNewFrame;
import tlbcheck.model.kernel.Op;
import tlbcheck.model.kernel.Procedure;
import tlbcheck.model.kernel.PteCondition;
import tlbcheck.model.kernel.PtlLock;
import tlbcheck.model.kernel.PtlUnlock;
import tlbcheck.model.kernel.Trigger;
import tlbcheck.model.kernel.When;

/**
 * A public historical bug written through the extension API: commit 15122ee2c515 "arm64: Enforce BBM for huge
 * IO/VMAP mappings" (Linux 4.16). {@code ioremap_page_range} put a block mapping down with {@code pmd_set_huge}
 * ({@code set_pmd}) over an entry that was still present, a table whose translation CPUs had cached: valid to valid
 * without break-before-make, so a TLB may hold the old and the new translation of one address at once ("TLB conflicts
 * and spurious aborts, which have been seen in practice on Cortex-A75"). The fix makes {@code pmd_set_huge} return 0
 * when the entry is present ({@code pmd_present(READ_ONCE(*pmdp))}), and the caller falls back to page mappings
 * ({@code ioremap_pte_range}), which fill only entries that are none.
 *
 * <p>The model has one level of page table: the present entry stands for the table and the page it maps, and a
 * walk cache holding the table is a TLB holding that old translation. The vmap area is its caller's alone
 * ({@code get_vm_area}) from the mapping to {@code vunmap}, which the page-table lock stands for; {@code vunmap}
 * clears the entry and flushes ({@code flush_tlb_kernel_range}) before the pages are freed.
 */
public final class IoremapBlockOverTable implements Catalogue {

    static final Op OWN_AREA = Op.named("get_vm_area (the range is this caller's)", PtlLock.INSTANCE);
    static final Op FREE_AREA = Op.named("free_vm_area", PtlUnlock.INSTANCE);

    /** vunmap then vfree: clear the entry, flush_tlb_kernel_range, free the page. */
    static final Procedure VUNMAP = Procedure.of("vfree", Trigger.PTE_VALID, OWN_AREA,
            Op.named("vunmap_pte_range: ptep_get_and_clear", ClearPte.UNMAP),
            FlushTlbPage.broadcast("flush_tlb_kernel_range"), Op.named("__free_pages", FreeOldFrame.INSTANCE), FREE_AREA);

    /** ioremap_page_range of a PMD-sized, aligned range: pmd_set_huge, before or after 15122ee2c515. */
    static Procedure ioremap(boolean fixed) {
        Op setHuge = Op.named("pmd_set_huge: set_pmd (block)", MapNewFrame.INSTANCE);
        return Procedure.of("ioremap_page_range", Trigger.ANY, OWN_AREA,
                fixed ? When.of(PteCondition.INVALID, setHuge) : setHuge, FREE_AREA);
    }

    private static Variant variant(String name, String summary, boolean fixed) {
        Scope scope = Scope.of(2, 0, 1, 2);
        return Variants.V5.withKernel(name, summary, Kernel.of(fixed ? "linux-4.16" : "linux-4.15", VUNMAP, ioremap(fixed)))
                .withScopes(scope, scope);
    }

    static final Variant BUG = variant("ioremap-block-over-table",
            "pmd_set_huge puts a block over a present table entry, no break-before-make (before 15122ee2c515)", false);

    static final Variant FIX = variant("ioremap-block-only-over-none",
            "15122ee2c515: pmd_set_huge refuses a present entry; ioremap_pte_range maps the pages", true);

    @Override public String name() { return "worked-example-15122ee2c515"; }

    @Override public Array<Variant> variants() { return Array.of(BUG, FIX); }

    @Override public Option<String> expected(Variant variant, Invariant invariant) {
        if (invariant == BreakBeforeMake.INSTANCE) return Option.some(variant == BUG ? Expected.VIOLATES : Expected.HOLDS);
        // The old page is leaked, never freed under a live translation: vfree flushes before it frees.
        return invariant == NoUseAfterFree.INSTANCE ? Option.some(Expected.HOLDS) : Option.none();
    }

    @Override public List<String> fixedBy(Variant variant, Invariant invariant) {
        return List.of(FIX.name());
    }
}
