package tlbcheck.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tlbcheck.model.Model;
import tlbcheck.model.Scope;
import tlbcheck.model.Variant;
import tlbcheck.model.Variants;
import tlbcheck.model.invariant.NoUseAfterFree;
import tlbcheck.model.kernel.ClearPte;
import tlbcheck.model.kernel.FlushTlbPage;
import tlbcheck.model.kernel.FreeOldFrame;
import tlbcheck.model.kernel.Kernel;
import tlbcheck.model.kernel.MmapLock;
import tlbcheck.model.kernel.MmapUnlock;
import tlbcheck.model.kernel.Procedure;
import tlbcheck.model.kernel.PtlLock;
import tlbcheck.model.kernel.PtlUnlock;
import tlbcheck.model.kernel.Trigger;

/**
 * Where nothing can move, the explorer tells an end from a deadlock: a kernel with no fault path stops once every page
 * is unmapped, which is an end (SPIN's valid end state); two procedures taking two locks in opposite orders stop each
 * other forever, which is a deadlock, counted with a trace to it.
 */
class ExplorerEndsTest {

    private static Variant kernel(Procedure... procedures) {
        return Variants.V5.withKernel("ends", "a kernel of its own", Kernel.of("ends", procedures));
    }

    @Test
    @DisplayName("every page unmapped and no fault to map it again: an end, not a deadlock")
    void anEndIsNoDeadlock() {
        Procedure zap = Procedure.of("zap", Trigger.PTE_VALID, PtlLock.INSTANCE, ClearPte.UNMAP, PtlUnlock.INSTANCE,
                FlushTlbPage.broadcast("flush_tlb_range"), FreeOldFrame.INSTANCE);
        Model model = new Model(kernel(zap), Scope.of(2, 0, 1, 1));
        ExploreResult r = Explorer.explore(model, NoUseAfterFree.INSTANCE, Explorer.Config.defaults().withThreads(1));
        assertTrue(r.complete() && !r.violated(), r.verdict());
        assertEquals(0, r.deadlocks(), "the end state is at rest");
        assertTrue(model.candidates().forAll(step -> !step.enabled(model, model.initial().withPte(0, tlbcheck.model.Pte.INVALID)
                .withFrame(0, false))), "and nothing can move there");
    }

    @Test
    @DisplayName("two procedures taking the PTL and the mmap lock in opposite orders: a deadlock, with its trace")
    void locksTakenInOppositeOrdersDeadlock() {
        // The PTE is cleared and flushed before the second lock, so that no TLB fill, eviction or access is left either.
        Procedure ptlFirst = Procedure.of("ptl_first", Trigger.PTE_VALID, PtlLock.INSTANCE, ClearPte.UNMAP,
                FlushTlbPage.broadcast("flush_tlb_range"), MmapLock.WRITE, MmapUnlock.WRITE, PtlUnlock.INSTANCE,
                FreeOldFrame.INSTANCE);
        Procedure mmapFirst = Procedure.of("mmap_first", Trigger.PTE_VALID, MmapLock.READ, PtlLock.INSTANCE, ClearPte.UNMAP,
                PtlUnlock.INSTANCE, MmapUnlock.READ, FlushTlbPage.broadcast("flush_tlb_range"), FreeOldFrame.INSTANCE);
        Model model = new Model(kernel(ptlFirst, mmapFirst), Scope.of(2, 0, 1, 1));
        ExploreResult r = Explorer.explore(model, NoUseAfterFree.INSTANCE, Explorer.Config.defaults().withThreads(1));
        assertTrue(r.deadlocks() > 0, "ABBA deadlocks");
        assertTrue(r.deadlockTrace().isDefined());
        tlbcheck.model.State end = tlbcheck.model.Replay.run(model, r.deadlockTrace().get(), java.util.List.of()).finalState(model);
        assertTrue(model.candidates().forAll(step -> !step.enabled(model, end)), "nothing can move at its end");
        assertTrue(!Explorer.atRest(end), "with both procedures in flight");
    }
}
