package tlbcheck.properties;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import tlbcheck.explore.ExploreResult;
import tlbcheck.explore.Explorer;
import tlbcheck.hunt.Hunt;
import tlbcheck.hunt.HuntConfig;
import tlbcheck.hunt.HuntResult;
import tlbcheck.model.Model;
import tlbcheck.model.Variant;
import tlbcheck.model.Variants;
import tlbcheck.model.invariant.FaultAnsweredAfterResolved;
import tlbcheck.model.invariant.ForwardProgress;
import tlbcheck.model.kernel.AllocFrame;
import tlbcheck.model.kernel.MapNewFrame;
import tlbcheck.model.kernel.MmPaths;
import tlbcheck.model.kernel.MmapLock;
import tlbcheck.model.kernel.MmapUnlock;
import tlbcheck.model.kernel.Procedure;
import tlbcheck.model.kernel.PteCondition;
import tlbcheck.model.kernel.PtlLock;
import tlbcheck.model.kernel.PtlUnlock;
import tlbcheck.model.kernel.ReleaseUnusedFrame;
import tlbcheck.model.kernel.ResumeDevice;
import tlbcheck.model.kernel.Trigger;
import tlbcheck.model.kernel.When;

/** Invariant 8 names a driver that sends the page response before the fault is resolved. */
class EarlyPageResponseTest {

    /** V5 whose IOPF handler answers the device first and fixes the PTE afterwards. */
    static final Variant EARLY_RESPONSE = Variants.V5.withKernel("V5-early-page-response",
            "V5 whose iopf handler sends the page response before handle_mm_fault",
            MmPaths.LINUX_6_6.kernel().with(Procedure.of("iopf", Trigger.DEVICE_FAULT,
                    ResumeDevice.INSTANCE, MmapLock.READ, When.of(PteCondition.INVALID, AllocFrame.INSTANCE),
                    PtlLock.INSTANCE, When.of(PteCondition.INVALID, MapNewFrame.INSTANCE), ReleaseUnusedFrame.INSTANCE,
                    When.of(PteCondition.WRITE_FAULT_ON_READ_ONLY, MmPaths.LINUX_6_6.ptepSetAccessFlags()),
                    PtlUnlock.INSTANCE, MmapUnlock.READ)));

    @Test
    void theHuntAndTheExplorerNameTheEarlyResponse() {
        HuntResult r = Hunt.run(new Model(EARLY_RESPONSE), FaultAnsweredAfterResolved.INSTANCE, HuntConfig.quick(11));
        assertTrue(r.violated(), "the early page response is caught");
        String report = tlbcheck.report.FailureReport.of(r);
        assertTrue(report.contains("resumed DEV0 before resolving its"), report);
        ExploreResult all = Explorer.explore(new Model(EARLY_RESPONSE, Variants.V5.smallScope()),
                FaultAnsweredAfterResolved.INSTANCE, Explorer.Config.defaults());
        assertTrue(all.violation().isDefined(), all.toString());
    }

    @Test
    void forwardProgressAloneDoesNotSeeIt() {
        // The retried access faults again on a PTE that does not yet permit it: not a no-progress fault.
        ExploreResult all = Explorer.explore(new Model(EARLY_RESPONSE, Variants.V5.smallScope()),
                ForwardProgress.INSTANCE, Explorer.Config.defaults());
        assertTrue(all.complete() && all.violation().isEmpty(), all.toString());
    }
}
