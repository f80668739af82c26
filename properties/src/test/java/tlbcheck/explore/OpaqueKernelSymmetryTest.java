package tlbcheck.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import tlbcheck.model.Model;
import tlbcheck.model.Scope;
import tlbcheck.model.Variant;
import tlbcheck.model.Variants;
import tlbcheck.model.invariant.NoStaleAccessAfterRestriction;
import tlbcheck.model.kernel.ClearPte;
import tlbcheck.model.kernel.FreeOldFrame;
import tlbcheck.model.kernel.Kernel;
import tlbcheck.model.kernel.MmPaths;
import tlbcheck.model.kernel.Procedure;
import tlbcheck.model.kernel.PtlLock;
import tlbcheck.model.kernel.PtlUnlock;
import tlbcheck.model.kernel.Trigger;

/**
 * A trigger or a condition of the user's own is a lambda the explorer cannot look into: it may tell pages or frames
 * apart by number, and then renaming them is not a symmetry. First found by a newcomer: a flushless zap entered only
 * on page 0 held under the default symmetry and violated without it. The explorer now renames pages and frames only
 * in a kernel made of the model's own triggers, conditions and ops, and the verdict is the same either way.
 */
class OpaqueKernelSymmetryTest {

    private static final MmPaths PATHS = MmPaths.LINUX_6_6;

    /** A zap that forgets its flush, on page 0 only, once page 1 is unmapped: a bug only page numbers reach. */
    private static Variant zapOnPage0(Trigger trigger) {
        Procedure zap = Procedure.of("zap_page_0_no_flush", trigger,
                PtlLock.INSTANCE, ClearPte.UNMAP, PtlUnlock.INSTANCE, FreeOldFrame.INSTANCE);
        return Variants.V5.withKernel("zap-page-0-no-flush", "a flushless zap a trigger keeps to page 0",
                Kernel.of("opaque", PATHS.procedure("unmap"), zap)).withScopes(Scope.of(1, 0, 2, 2), Scope.of(1, 0, 2, 2));
    }

    @Test
    void aTriggerOfOnesOwnKeepsPageNumbers() {
        Variant v = zapOnPage0(Trigger.of("page 0, page 1 unmapped", (s, page) -> page == 0 && s.pte(1).none()));
        Model model = new Model(v);
        ExploreResult all = Explorer.explore(model, NoStaleAccessAfterRestriction.INSTANCE, Explorer.Config.defaults());
        ExploreResult none = Explorer.explore(model, NoStaleAccessAfterRestriction.INSTANCE,
                Explorer.Config.defaults().withSymmetry(Symmetry.NONE));
        assertTrue(none.violated(), none.verdict());
        assertEquals(none.observed(), all.observed(), "with symmetry: " + all.verdict());
        assertEquals(none.trace().map(t -> t.size()), all.trace().map(t -> t.size()));
    }

    /** The built-in kernels are the model's own all through; a condition or an op of one's own is named. */
    @Test
    void whatTheExplorerCannotLookIntoIsNamed() {
        for (Variant v : Variants.all()) {
            assertTrue(KernelSymmetry.opaque(v.kernel()).isEmpty(), v.name() + ": " + KernelSymmetry.opaque(v.kernel()));
        }
        Procedure own = Procedure.of("zap_if_pending", Trigger.ANY, tlbcheck.model.kernel.When.of(
                tlbcheck.model.kernel.Condition.of("mm_tlb_flush_pending", (s, r) -> s.locks().tlbFlushPending() > 0),
                PtlLock.INSTANCE, ClearPte.UNMAP, PtlUnlock.INSTANCE), FreeOldFrame.INSTANCE);
        assertEquals("the condition mm_tlb_flush_pending in zap_if_pending",
                KernelSymmetry.opaque(Kernel.of("own", own)).get());
        Variant trigger = zapOnPage0(Trigger.of("page 0", (s, page) -> page == 0));
        assertEquals("the trigger page 0 of zap_page_0_no_flush", KernelSymmetry.opaque(trigger.kernel()).get());
    }
}
