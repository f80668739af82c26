package tlbcheck.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tlbcheck.model.step.Advance;
import tlbcheck.model.step.DeviceAccess;
import tlbcheck.model.step.DeviceIssue;
import tlbcheck.model.step.SmmuFill;
import tlbcheck.model.step.Start;

/**
 * Forward progress under a fair scheduler: a device fault raised while the procedure that changed the
 * page is still before its invalidation is no sign of a livelock, since that procedure will run on.
 */
class FairForwardProgressTest {

    /** SMMU0 caches f0/RO; CPU0's fault_upgrade has written RO->RW and not yet flushed; DEV0 writes. */
    private static Scenario faultWhileUpgradeInFlight(Variant v) {
        Scenario s = new Scenario(v).then(new SmmuFill(0, 0), new Start(0, "fault_upgrade", 0, true));
        while (!(s.state().pte(0) instanceof Pte.Valid p && p.perm() == Perm.RW)) s.then(new Advance(0));
        return s.then(new DeviceIssue(0, 0, true), new DeviceAccess(0));
    }

    @Test
    @DisplayName("a fault inside another procedure's window does not count; after it completes, it does")
    void faultsCountOnlyOutsideTheWindow() {
        Scenario s = faultWhileUpgradeInFlight(Variants.V1);
        assertEquals(DeviceStatus.FAULTED, s.state().device(0).status(), "SMMU0 still returns f0/RO");
        assertEquals(0, s.state().device(0).noProgress(), "fault_upgrade has not flushed yet: not counted");

        // V1: fault_upgrade never reaches the SMMU. Once it has returned, the same fault counts.
        s.finish(0).then(new tlbcheck.model.step.HandleDeviceFault(1, 0)).finish(1).then(new DeviceAccess(0));
        assertEquals(1, s.state().device(0).noProgress(), "nobody owes the SMMU an invalidation any more");
    }
}
