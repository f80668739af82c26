package tlbcheck.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vavr.collection.Array;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tlbcheck.model.invariant.ForwardProgress;
import tlbcheck.model.invariant.Invariant;
import tlbcheck.model.invariant.Invariants;
import tlbcheck.model.invariant.NoStaleSecondaryTlb;
import tlbcheck.model.invariant.Violation;
import tlbcheck.model.step.DeviceAccess;
import tlbcheck.model.step.DeviceIssue;
import tlbcheck.model.step.HandleDeviceFault;
import tlbcheck.model.step.SmmuFill;
import tlbcheck.model.step.Start;

/** The seed bugs of threads 000, 001 and 003, written out by hand, step by step. */
class SeedScenariosTest {

    private static final int CPU0 = 0;
    private static final int DEV0 = 0;
    private static final int PAGE0 = 0;

    /** A device write to a read-only page: the SMMU caches the RO entry that faulted, the kernel upgrades. */
    private static Scenario deviceWriteToReadOnlyPage(Variant v) {
        return new Scenario(v)
                .then(new DeviceIssue(DEV0, PAGE0, true), new DeviceAccess(DEV0))
                .then(new HandleDeviceFault(CPU0, DEV0)).finish(CPU0);
    }

    @Test
    @DisplayName("V1: after a RO->RW upgrade the device faults forever on its cached read-only entry")
    void v1DeviceFaultsForever() {
        Scenario s = new Scenario(Variants.V1).then(new DeviceIssue(DEV0, PAGE0, true), new DeviceAccess(DEV0));
        assertEquals(Pte.valid(0, Perm.RO), s.state().smmuTlb(0, PAGE0), "the SMMU keeps the RO entry that faulted");
        assertEquals(DeviceStatus.FAULTED, s.state().device(DEV0).status());
        assertEquals(0, s.state().device(DEV0).noProgress(), "the PTE did not permit the write: a legitimate fault");

        s.then(new HandleDeviceFault(CPU0, DEV0)).finish(CPU0);
        assertEquals(Pte.valid(0, Perm.RW), s.state().pte(PAGE0), "handle_mm_fault upgraded the PTE");
        assertEquals(Pte.valid(0, Perm.RO), s.state().smmuTlb(0, PAGE0), "no BTM, no notifier: the SMMU still has RO");
        assertEquals(DeviceStatus.READY, s.state().device(DEV0).status());

        for (int round = 1; round <= ForwardProgress.BOUND + 1; round++) {
            s.then(new DeviceAccess(DEV0));
            assertEquals(DeviceStatus.FAULTED, s.state().device(DEV0).status(), "round " + round);
            assertEquals(round, s.state().device(DEV0).noProgress(), "round " + round);
            if (round <= ForwardProgress.BOUND) {
                s.then(new HandleDeviceFault(CPU0, DEV0)).finish(CPU0);
                assertEquals(Pte.valid(0, Perm.RO), s.state().smmuTlb(0, PAGE0), "the handler finds nothing to fix");
            }
        }

        Violation livelock = s.violationOf(ForwardProgress.INSTANCE).get();
        assertEquals(4, livelock.number());
        assertEquals(s.length(), s.stepsUntilViolationOf(ForwardProgress.INSTANCE), "the last fault breaks the bound");
        assertTrue(livelock.explanation().contains("faulted 4 times"), livelock.explanation());

        Violation stale = s.violationOf(NoStaleSecondaryTlb.INSTANCE).get();
        assertEquals(deviceWriteToReadOnlyPage(Variants.V1).length(), s.stepsUntilViolationOf(NoStaleSecondaryTlb.INSTANCE),
                "invariant 1 breaks as soon as the handler that upgraded the PTE completes");
        assertTrue(stale.explanation().contains("SMMU0 still maps page 0 f0/RO"), stale.explanation());
        assertTrue(stale.explanation().contains("PTE is f0/RW"), stale.explanation());
    }

    static Array<Variant> fixedVariants() {
        return Array.of(Variants.V2, Variants.V3, Variants.V5);
    }

    @ParameterizedTest(name = "{0}: the same device write completes after one fault")
    @MethodSource("fixedVariants")
    void theSameInterleavingHoldsWhenTheSmmuSeesTheUpgrade(Variant v) {
        Scenario s = deviceWriteToReadOnlyPage(v);
        assertEquals(Pte.INVALID, s.state().smmuTlb(0, PAGE0), "BTM or the notifier dropped the stale entry");
        s.then(new DeviceAccess(DEV0));
        assertEquals(DeviceStatus.IDLE, s.state().device(DEV0).status(), "the retry walks the RW PTE and completes");
        assertEquals(Pte.valid(0, Perm.RW), s.state().smmuTlb(0, PAGE0));
        for (Invariant inv : Invariants.all().filter(i -> i.number() <= 4)) {
            assertTrue(s.violationOf(inv).isEmpty(), v + " breaks " + inv.name() + ": " + s.violationOf(inv));
        }
    }

    @Test
    @DisplayName("V4: invalidating on fault resolution restores progress but leaves a CPU upgrade stale")
    void v4ProgressesButLeavesStaleEntries() {
        Scenario device = deviceWriteToReadOnlyPage(Variants.V4).then(new DeviceAccess(DEV0));
        assertEquals(DeviceStatus.IDLE, device.state().device(DEV0).status());
        assertTrue(device.violationOf(ForwardProgress.INSTANCE).isEmpty());

        Scenario cpu = new Scenario(Variants.V4)
                .then(new SmmuFill(0, PAGE0), new Start(CPU0, "fault_upgrade", PAGE0, true)).finish(CPU0);
        assertEquals(Pte.valid(0, Perm.RW), cpu.state().pte(PAGE0));
        assertEquals(Pte.valid(0, Perm.RO), cpu.state().smmuTlb(0, PAGE0));
        Violation stale = cpu.violationOf(NoStaleSecondaryTlb.INSTANCE).get();
        assertTrue(stale.explanation().contains("after fault_upgrade on CPU0 completed"), stale.explanation());
        assertEquals(cpu.length(), cpu.stepsUntilViolationOf(NoStaleSecondaryTlb.INSTANCE));
    }

    @Test
    @DisplayName("V3 and V5: a CPU write fault upgrade reaches the SMMU")
    void cpuUpgradeReachesTheSmmuWithTheNotifier() {
        for (Variant v : Array.of(Variants.V3, Variants.V5, Variants.V2)) {
            Scenario cpu = new Scenario(v)
                    .then(new SmmuFill(0, PAGE0), new Start(CPU0, "fault_upgrade", PAGE0, true)).finish(CPU0);
            assertEquals(Pte.INVALID, cpu.state().smmuTlb(0, PAGE0), v.name());
            assertFalse(cpu.violationOf(NoStaleSecondaryTlb.INSTANCE).isDefined(), v.name());
        }
    }
}
