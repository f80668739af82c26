package tlbcheck.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import tlbcheck.model.kernel.ClearPte;
import tlbcheck.model.kernel.FlushTlbPage;
import tlbcheck.model.kernel.MmapLock;
import tlbcheck.model.kernel.MmapUnlock;
import tlbcheck.model.kernel.Op;
import tlbcheck.model.kernel.Procedure;
import tlbcheck.model.kernel.PtlLock;
import tlbcheck.model.kernel.PtlUnlock;
import tlbcheck.model.kernel.Seq;
import tlbcheck.model.kernel.Trigger;
import tlbcheck.model.step.Advance;
import tlbcheck.model.step.Start;

/** A procedure assembled from existing ops prints the kernel's names, not the borrowed ones. */
class NamedOpTest {

    @Test
    void aBorrowedOpPrintsTheNameItIsGiven() {
        Procedure collapse = Procedure.of("collapse_huge_page", Trigger.PTE_VALID, MmapLock.WRITE, PtlLock.INSTANCE,
                Op.named("pmdp_collapse_flush", ClearPte.UNMAP), FlushTlbPage.broadcast("flush_tlb_range"),
                PtlUnlock.INSTANCE, MmapUnlock.WRITE);
        Model model = new Model(Variants.V5.withKernel("V5+collapse", "V5 with khugepaged's collapse",
                Variants.V5.kernel().plus(collapse)));
        State s = model.fire(model.initial(), new Start(0, "collapse_huge_page", 0, false)).after();
        StringBuilder trace = new StringBuilder();
        while (s.running(0).isDefined()) {
            trace.append(new Advance(0).describe(model, s)).append('\n');
            s = model.fire(s, new Advance(0)).after();
        }
        assertTrue(trace.toString().contains("collapse_huge_page: pmdp_collapse_flush\n"), trace.toString());
        assertTrue(!trace.toString().contains("clear PTE"), trace.toString());
        assertEquals(Pte.INVALID, s.pte(0), "the named op still does what it wraps");
        // A migration entry no new PTE replaces would keep the page unmapped and its frame held for good.
        IllegalArgumentException stuck = assertThrows(IllegalArgumentException.class, () -> Procedure.of("collapse",
                Trigger.PTE_VALID, PtlLock.INSTANCE, Op.named("pmdp_collapse_flush", ClearPte.MIGRATION), PtlUnlock.INSTANCE));
        assertTrue(stuck.getMessage().startsWith("procedure collapse: op 2 'pmdp_collapse_flush' sets a migration entry,"
                + " which only a migration's new PTE (SetPteNewFrame) after it replaces; to unmap the page use ClearPte.UNMAP"),
                stuck.getMessage());
        // A new PTE before the migration entry replaces nothing; one after it is a migration, and is accepted.
        assertThrows(IllegalArgumentException.class, () -> Procedure.of("migrate", Trigger.PTE_VALID, PtlLock.INSTANCE,
                new tlbcheck.model.kernel.SetPteNewFrame(Perm.RO), ClearPte.MIGRATION, PtlUnlock.INSTANCE));
        Procedure.of("migrate", Trigger.PTE_VALID, PtlLock.INSTANCE, ClearPte.MIGRATION,
                new tlbcheck.model.kernel.SetPteNewFrame(Perm.RO), PtlUnlock.INSTANCE);
        assertThrows(IllegalArgumentException.class, () -> Op.named("x", Seq.of("y", ClearPte.UNMAP)));
    }
}
