package tlbcheck.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vavr.collection.Array;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tlbcheck.model.invariant.NoStaleAccessAfterRestriction;
import tlbcheck.model.kernel.Op;
import tlbcheck.model.kernel.Procedure;
import tlbcheck.model.step.Advance;
import tlbcheck.model.step.CpuFill;
import tlbcheck.model.step.Start;

/**
 * {@code change_protection} gathers with {@code mmu_gather}: the PTE is write-protected under the page-table lock,
 * the lock is dropped, the notifier range closes, and only then does {@code tlb_end_vma} / {@code tlb_finish_mmu}
 * flush. The window between is the kernel's, and the model must leave it open: a path that takes the lock there
 * sees a read-only PTE while another CPU may still write through its TLB, and only {@code tlb_flush_pending} says
 * so.
 */
class DeferredFlushWindowTest {

    private static final int PAGE0 = 0;

    private static int indexOf(Procedure p, String name) {
        Array<Op> ops = p.ops();
        for (int i = 0; i < ops.size(); i++) if (ops.get(i).name().startsWith(name)) return i;
        throw new AssertionError(p.name() + " has no op " + name + ": " + ops.map(Op::name).mkString(", "));
    }

    @Test
    @DisplayName("write_protect flushes after pte_unmap_unlock and after invalidate_range_end, inside its mmu_gather")
    void theFlushComesAfterTheLockIsDropped() {
        for (Variant v : Array.of(Variants.V1, Variants.V5)) {
            Procedure wp = v.kernel().find("write_protect").get();
            int unlock = indexOf(wp, "pte_unmap_unlock");
            int end = indexOf(wp, "mmu_notifier_invalidate_range_end");
            int flush = wp.ops().indexWhere(op -> op.invalidates() && op.name().contains("TLBI"));
            assertTrue(unlock < end && end < flush, v.name() + ": " + wp.ops().map(Op::name).mkString(", "));
            assertTrue(indexOf(wp, "tlb_gather_mmu") < indexOf(wp, "pte_offset_map_lock"));
            assertTrue(flush < indexOf(wp, "tlb_finish_mmu"));
        }
    }

    @Test
    @DisplayName("in the window a migration takes the page-table lock while CPU1 still writes through its TLB")
    void aLockFreePathEntersTheWindow() {
        Scenario s = new Scenario(Variants.V5.withScope(Scope.of(2, 1, 1, 3)))
                .then(new Start(0, "fault_upgrade", PAGE0, true)).finish(0)
                .then(new CpuFill(1, PAGE0), new Start(0, "write_protect", PAGE0, false));
        while (!(s.state().pte(PAGE0) instanceof Pte.Valid v && v.perm() == Perm.RO && !s.state().locks().ptlHeld(PAGE0))) {
            s.then(new Advance(0));
        }
        assertEquals(Pte.valid(0, Perm.RW), s.state().cpuTlb(1, PAGE0), "the flush is still to come");
        assertEquals(1, s.state().locks().tlbFlushPending(), "inc_tlb_flush_pending announced it");

        s.then(new Start(1, "migrate", PAGE0, false));
        while (!(s.state().pte(PAGE0) instanceof Pte.Migration)) {
            s.then(new Advance(1));
        }
        assertEquals(1, s.state().locks().tlbFlushPending(), "write_protect has not flushed yet");

        Scenario done = s.finish(0).finish(1);
        assertTrue(done.violationOf(NoStaleAccessAfterRestriction.INSTANCE).isEmpty());
        assertEquals(0, done.state().locks().tlbFlushPending(), "dec_tlb_flush_pending after the flush");
    }
}
