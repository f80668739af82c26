package tlbcheck.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import tlbcheck.explore.ExploreResult;
import tlbcheck.explore.Explorer;
import tlbcheck.model.Model;
import tlbcheck.model.Scope;
import tlbcheck.model.Variant;
import tlbcheck.model.Variants;
import tlbcheck.model.invariant.NoStaleAccessAfterRestriction;
import tlbcheck.model.kernel.ClearPte;
import tlbcheck.model.kernel.FlushTlbPage;
import tlbcheck.model.kernel.FreeOldFrame;
import tlbcheck.model.kernel.MmPaths;
import tlbcheck.model.kernel.Op;
import tlbcheck.model.kernel.Procedure;
import tlbcheck.model.kernel.PtlLock;
import tlbcheck.model.kernel.PtlUnlock;
import tlbcheck.model.kernel.RmapLock;
import tlbcheck.model.kernel.TlbBatch;
import tlbcheck.model.kernel.Trigger;

/**
 * mprotect promises its caller that no TLB still writes the range when it returns, whoever left the entry: reclaim's
 * batched flush included (3ea277194daa). A newcomer deleted the built-in write_protect's flush_tlb_batched_pending
 * and exhaustive search still said "holds": its write-protect did not take on the flush reclaim's batch owed, so the
 * stale entry stayed reclaim's to answer for. The built-in write_protect now keeps that contract, and the line it
 * checks can be deleted in one call.
 */
class BatchedFlushContractTest {

    /** try_to_unmap_one with TTU_BATCH_FLUSH: clear, batch the flush, flush later (try_to_unmap_flush), free. */
    static final Procedure RECLAIM = Procedure.of("try_to_unmap_one", Trigger.PTE_VALID,
            RmapLock.READ, PtlLock.INSTANCE, Op.named("ptep_get_and_clear", ClearPte.RMAP_UNMAP), TlbBatch.SET_PENDING,
            PtlUnlock.INSTANCE, RmapLock.READ_UNLOCK, FlushTlbPage.broadcast("try_to_unmap_flush"), FreeOldFrame.INSTANCE);

    private static Variant withReclaim(String name, Procedure writeProtect) {
        Scope scope = Scope.of(2, 0, 1, 2).withWritable(1);
        return Variants.V5.withKernel(name, "V5 with reclaim's batched flush",
                Variants.V5.kernel().plus(RECLAIM).with(writeProtect)).withScopes(scope, scope);
    }

    @Test
    void mprotectWithoutFlushTlbBatchedPendingLeavesAWritableEntry() {
        Procedure writeProtect = MmPaths.LINUX_6_6.procedure("write_protect");
        ExploreResult fixed = Explorer.explore(new Model(withReclaim("batched", writeProtect)),
                NoStaleAccessAfterRestriction.INSTANCE, Explorer.Config.defaults());
        ExploreResult reverted = Explorer.explore(new Model(withReclaim("unbatched",
                writeProtect.without(TlbBatch.FLUSH_PENDING))), NoStaleAccessAfterRestriction.INSTANCE,
                Explorer.Config.defaults());
        assertEquals("holds", fixed.observed(), fixed.verdict());
        assertTrue(reverted.violated(), reverted.verdict());
        assertTrue(reverted.violation().get().explanation().contains("after write_protect on CPU"),
                reverted.violation().get().explanation());
    }
}
