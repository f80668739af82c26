package tlbcheck.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import tlbcheck.model.invariant.NoLostWrite;
import tlbcheck.model.invariant.NoUseAfterFree;
import tlbcheck.model.kernel.ClearPte;
import tlbcheck.model.kernel.FlushTlbPage;
import tlbcheck.model.kernel.FreeOldFrame;
import tlbcheck.model.kernel.Op;
import tlbcheck.model.kernel.Procedure;
import tlbcheck.model.kernel.PtlLock;
import tlbcheck.model.kernel.PtlUnlock;
import tlbcheck.model.kernel.TlbBatch;
import tlbcheck.model.kernel.Trigger;
import tlbcheck.model.kernel.WriteOut;
import tlbcheck.model.step.Advance;
import tlbcheck.model.step.CpuAccess;
import tlbcheck.model.step.CpuFill;
import tlbcheck.model.step.Start;

/** Reclaim's pageout: a write that reaches a frame after it was written out, and before it is freed, is lost. */
class WriteOutTest {

    private static Variant reclaim(boolean flushDirty) {
        Op[] ops = flushDirty
                ? new Op[] {PtlLock.INSTANCE, ClearPte.RMAP_UNMAP, TlbBatch.SET_PENDING, PtlUnlock.INSTANCE,
                    FlushTlbPage.broadcast("try_to_unmap_flush_dirty"), WriteOut.INSTANCE,
                    FlushTlbPage.broadcast("try_to_unmap_flush"), FreeOldFrame.INSTANCE}
                : new Op[] {PtlLock.INSTANCE, ClearPte.RMAP_UNMAP, TlbBatch.SET_PENDING, PtlUnlock.INSTANCE,
                    WriteOut.INSTANCE, FlushTlbPage.broadcast("try_to_unmap_flush"), FreeOldFrame.INSTANCE};
        Scope scope = Scope.of(2, 0, 1, 2).withWritable(1);
        return Variants.V5.withKernel("reclaim", "reclaim with pageout",
                tlbcheck.model.kernel.Kernel.of("reclaim", Procedure.of("shrink_folio_list", Trigger.PTE_VALID, ops)))
                .withScopes(scope, scope);
    }

    /** CPU1 caches page 0 writable; CPU0 reclaims it up to and through its pageout; CPU1 stores. */
    private static Scenario storeAfterPageout(boolean flushDirty) {
        Scenario s = new Scenario(reclaim(flushDirty)).then(new CpuFill(1, 0), new Start(0, "shrink_folio_list", 0, false));
        while (!s.state().running(0).get().wroteOut()) s.then(new Advance(0));
        return s;
    }

    @Test
    void aStoreThroughAStaleEntryAfterPageoutIsLost() {
        Scenario s = storeAfterPageout(false).then(new CpuAccess(1, 0, true));
        var v = s.violationOf(NoLostWrite.INSTANCE);
        assertTrue(v.isDefined());
        assertEquals("CPU1 wrote frame f0 after shrink_folio_list on CPU0 wrote it out (pageout): the write is lost when"
                + " the frame is freed as clean", v.get().explanation());
        // Reclaim still flushes before it frees: the loss is the write's, not a use after free.
        assertTrue(s.finish(0).violationOf(NoUseAfterFree.INSTANCE).isEmpty());
    }

    @Test
    void flushingTheWritableEntriesBeforePageoutLeavesNothingToStoreThrough() {
        Scenario s = storeAfterPageout(true);
        assertFalse(s.state().cpuTlb(1, 0).present(), "try_to_unmap_flush_dirty dropped CPU1's entry");
        assertEquals("the write would fault (PTE -), and no fault path of kernel reclaim is entered on PTE -",
                s.model().refusal(s.state(), new CpuAccess(1, 0, true)).get());
        assertTrue(s.finish(0).violationOf(NoLostWrite.INSTANCE).isEmpty());
    }

    @Test
    void aPageoutIsNarratedAndSkippedWhereNothingWasUnmapped() {
        Scenario s = new Scenario(reclaim(false)).then(new Start(0, "shrink_folio_list", 0, false));
        while (!(s.model().kernel().procedure(0).op(s.state().running(0).get().pc()) instanceof WriteOut)) {
            s.then(new Advance(0));
        }
        assertEquals("pageout (write the page out)", s.model().kernel().procedure(0).narrate(s.model(), s.state(), 0));
        State nothingUnmapped = s.state().withRunning(0, s.state().running(0).get().withoutOldFrames());
        assertEquals("skipped pageout (write the page out) (no frame was unmapped)",
                s.model().kernel().procedure(0).narrate(s.model(), nothingUnmapped, 0));
    }

    @Test
    void aStoreAfterTheFrameIsFreedIsNotCountedAsLost() {
        Scenario s = storeAfterPageout(false).finish(0);
        assertFalse(s.state().running(0).isDefined());
        assertTrue(s.violationOf(NoLostWrite.INSTANCE).isEmpty());
    }
}
