package tlbcheck.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vavr.control.Option;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tlbcheck.model.invariant.NoStaleAccessAfterRestriction;
import tlbcheck.model.invariant.Violation;
import tlbcheck.model.kernel.ClearPte;
import tlbcheck.model.kernel.MmPaths;
import tlbcheck.model.kernel.Seq;
import tlbcheck.model.step.Advance;
import tlbcheck.model.step.CpuFill;
import tlbcheck.model.step.Start;

/**
 * Invariant 2 is judged per procedure: one procedure's pending flush of a page does not excuse another
 * procedure that returns while a TLB it left stale still grants the old translation.
 */
class PerProcedureRestrictionTest {

    /** A migration whose ptep_clear_flush lost its TLB flush (and so its secondary invalidation). */
    static final Variant MIGRATE_WITHOUT_FLUSH = Variants.V5.withKernel("V5-migrate-without-flush",
            "V5 whose migration installs the migration entry without flushing the TLBs",
            MmPaths.LINUX_6_6.named("linux-6.6+migrate-no-flush")
                    .withPtepClearFlush(Seq.of("ptep_get_and_clear (no flush)", ClearPte.MIGRATION)).kernel())
            .withScope(Scope.of(2, 0, 1, 3));

    private static final int PAGE0 = 0;

    /**
     * CPU1 caches f0; migration A (CPU0) moves the page to f1 without flushing; before A returns, migration
     * B (CPU1) installs its migration entry for f1 and has its own flush pending. A then returns: CPU1
     * still maps the old frame f0, which A is about to have freed.
     */
    private static Scenario twoMigrations(Variant variant) {
        Scenario s = new Scenario(variant.withScope(Scope.of(2, 0, 1, 3)))
                .then(new CpuFill(1, PAGE0), new Start(0, "migrate", PAGE0, false));
        while (!(s.state().pte(PAGE0) instanceof Pte.Valid v && v.frame() != 0 && !s.state().locks().ptlHeld(PAGE0))) {
            s.then(new Advance(0));
        }
        s.then(new Start(1, "migrate", PAGE0, false));
        while (!(s.state().pte(PAGE0) instanceof Pte.Migration)) {
            s.then(new Advance(1));
        }
        return s;
    }

    @Test
    @DisplayName("a pending flush of migration B no longer hides migration A's missing one")
    void anotherProceduresPendingFlushDoesNotExcuse() {
        Scenario s = twoMigrations(MIGRATE_WITHOUT_FLUSH);
        assertEquals(Pte.valid(0, Perm.RO), s.state().cpuTlb(1, PAGE0), "A never flushed CPU1's entry for f0");
        // What the rule used to consult, and what excused A: B owes maintenance on the same page.
        assertTrue(s.state().maintenancePending(PAGE0), "B has written the PTE and not flushed yet");
        Scenario finished = s.finish(0);
        assertTrue(finished.state().maintenancePending(PAGE0), "B is still in its window when A returns");

        Option<Violation> v = finished.violationOf(NoStaleAccessAfterRestriction.INSTANCE);
        assertTrue(v.isDefined(), "A returned with CPU1 still mapping the old frame");
        assertTrue(v.get().explanation().contains("CPU1 still grants access to unmapped page 0 (f0/RO)"), v.get().explanation());
        assertTrue(v.get().explanation().contains("migrate on CPU0 completed"), v.get().explanation());
        assertEquals(finished.length(), finished.stepsUntilViolationOf(NoStaleAccessAfterRestriction.INSTANCE),
                "the violation is A's completion, not earlier");
    }

    @Test
    @DisplayName("the same interleaving under V5, whose migration flushes, keeps the rule")
    void theFlushingMigrationKeepsIt() {
        Scenario s = twoMigrations(Variants.V5).finish(0);
        assertTrue(s.violationOf(NoStaleAccessAfterRestriction.INSTANCE).isEmpty());
        assertEquals(Pte.INVALID, s.state().cpuTlb(1, PAGE0), "A's ptep_clear_flush dropped CPU1's entry");
    }
}
