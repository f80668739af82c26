package tlbcheck.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tlbcheck.model.invariant.BreakBeforeMake;
import tlbcheck.model.step.CpuAccess;
import tlbcheck.model.step.CpuFill;
import tlbcheck.model.step.SmmuFill;

/**
 * A translation cache holds the old and the new entry of an address whose PTE was changed from one frame to another
 * without a break, until the address is invalidated; a change of permissions, or a make after a break, leaves the one
 * entry it had. Invariant 5 judges stage 1 as it judges stage 2.
 */
class TwoEntryTlbTest {

    private static final Pte F0 = Pte.valid(0, Perm.RO);
    private static final Pte F1 = Pte.valid(1, Perm.RW);

    private final Model model = new Model(Variants.V5, Scope.of(2, 1, 1, 2));

    private State cachedByCpu0AndSmmu0() {
        State s = model.initial();
        s = new CpuFill(0, 0).fire(model, s).after();
        return new SmmuFill(0, 0).fire(model, s).after();
    }

    @Test
    @DisplayName("valid to valid of another frame: every TLB caching the page holds both, and invariant 5 says so")
    void aRemapLeavesBothEntries() {
        State before = cachedByCpu0AndSmmu0();
        State after = before.withPte(0, F1);
        assertEquals(Pte.Both.of((Pte.Valid) F0, (Pte.Valid) F1), after.cpuTlb(0, 0));
        assertEquals(Pte.Both.of((Pte.Valid) F0, (Pte.Valid) F1), after.smmuTlb(0, 0));
        assertEquals(Pte.INVALID, after.cpuTlb(1, 0), "a TLB that cached nothing walks the new entry alone");
        var v = BreakBeforeMake.INSTANCE.check(model, Transition.of(before, new CpuFill(1, 0), after));
        assertTrue(v.isDefined());
        assertTrue(v.get().toString().contains("TLB conflict on CPU0"), v.get().toString());
    }

    @Test
    @DisplayName("a CPU holding both still goes through the old entry, until a TLBI drops both")
    void theOldEntryStaysInUseUntilInvalidated() {
        State s = cachedByCpu0AndSmmu0().withPte(0, F1);
        assertEquals(0, new CpuAccess(0, 0, false).fire(model, s).accessedFrame());
        assertFalse(new CpuAccess(0, 0, true).enabled(model, s), "the old entry is read-only");
        assertFalse(new CpuFill(0, 0).enabled(model, s));
        State flushed = s.broadcastTlbi(0, false).invalidateSmmus(0);
        assertEquals(Pte.INVALID, flushed.cpuTlb(0, 0));
        assertEquals(Pte.INVALID, flushed.smmuTlb(0, 0));
    }

    @Test
    @DisplayName("a permission change and a make after a break keep one entry")
    void noPairWithoutARemap() {
        State s = cachedByCpu0AndSmmu0();
        assertEquals(F0, s.withPte(0, Pte.valid(0, Perm.RW)).cpuTlb(0, 0));
        assertEquals(F0, s.withPte(0, Pte.INVALID).withPte(0, F1).cpuTlb(0, 0));
        assertEquals(F0, s.withPte(0, Pte.INVALID).withPte(0, F1).smmuTlb(0, 0));
    }

    @Test
    @DisplayName("a stage-2 page entry remapped without a break leaves the vCPU holding both")
    void stageTwoToo() {
        Kvm k = Kvm.arm64OnHostMm(Scope.of(2, 0, 1, 2)).withS2(0, F0).withVcpuTlb(1, 0, F0).withS2(0, F1);
        assertEquals(Pte.Both.of((Pte.Valid) F0, (Pte.Valid) F1), k.vcpuTlb(1, 0));
        assertEquals(Pte.INVALID, k.vcpuTlb(0, 0));
        assertEquals(Pte.INVALID, k.tlbiIpa(0, -1).vcpuTlb(1, 0));
    }
}
