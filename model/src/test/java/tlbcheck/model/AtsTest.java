package tlbcheck.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import tlbcheck.model.invariant.NoStaleSecondaryTlb;
import tlbcheck.model.invariant.NoUseAfterFree;
import tlbcheck.model.kernel.MmPaths;
import tlbcheck.model.kernel.NotifySecondary;
import tlbcheck.model.kernel.Seq;
import tlbcheck.model.step.Advance;
import tlbcheck.model.step.AtcFill;
import tlbcheck.model.step.DeviceAccess;
import tlbcheck.model.step.DeviceIssue;
import tlbcheck.model.step.SmmuFill;
import tlbcheck.model.step.Start;

/** Devices with ATS: an ATC filled from the SMMU's TLB, which only the notifier's ATC invalidation empties. */
class AtsTest {

    private static Variant on(Platform platform, MmPaths paths) {
        return new Variant("ats", "", "V5's paths with ATS", platform, paths.kernel(), Variants.SMMU_SMALL_SCOPE,
                Variants.SMMU_SMALL_SCOPE);
    }

    private static final MmPaths ATC_FIRST = MmPaths.LINUX_6_6.mapOps(op -> op instanceof NotifySecondary n
            ? Seq.of(n.site(), n.atcOnly(), n.withoutAtc()) : op);

    @Test
    void anAtcIsFilledFromItsSmmusTlbAndADeviceAccessHitsIt() {
        Scenario s = new Scenario(on(Platform.SMMU_WITHOUT_BTM.withAts(), MmPaths.LINUX_6_6))
                .then(new SmmuFill(0, 0), new AtcFill(0, 0));
        assertEquals(Pte.valid(0, Perm.RO), s.state().atc(0, 0));
        s.then(new DeviceIssue(0, 0, false));
        assertEquals("read p0 ATC hit f0/RO: done", new DeviceAccess(0).describe(s.model(), s.state()));
        assertEquals("arm64+SMMUv3(no BTM, ATS)", s.model().platform().toString());
    }

    @Test
    void withoutAtsADeviceHasNoAtc() {
        Model m = new Model(Variants.V5);
        assertEquals("the platform has no ATS (Platform.withAts()): devices have no ATC",
                m.refusal(m.initial(), new AtcFill(0, 0)).get());
        assertFalse(m.candidates().exists(st -> st instanceof AtcFill));
    }

    /** munmap's notifier call: the ATC invalidated first, then DEV0 refills it from the TLB entry still there. */
    @Test
    void anAtcInvalidatedBeforeTheTlbIsRefilledWithTheStaleEntry() {
        Scenario s = new Scenario(on(Platform.SMMU_WITHOUT_BTM.withAts(), ATC_FIRST))
                .then(new SmmuFill(0, 0), new Start(0, "unmap", 0, false));
        while (!s.model().kernel().procedure(s.state().running(0).get().procedure())
                .op(s.state().running(0).get().pc()).unwrapped().equals(NotifySecondary.withFlush(
                        "__flush_tlb_range->arch_invalidate_secondary_tlbs").withoutAtc())) {
            s.then(new Advance(0));
        }
        s.then(new AtcFill(0, 0));
        assertEquals("ATC fill p0 f0/RO (SMMU TLB hit)", new AtcFill(0, 0).describe(s.model(), s.state().withAtc(0, 0,
                Pte.INVALID)));
        s.finish(0);
        assertTrue(s.state().atc(0, 0).present() && !s.state().smmuTlb(0, 0).present());
        assertEquals("DEV0's ATC still maps page 0 f0/RO after unmap on CPU0 completed; PTE is -",
                s.violationOf(NoStaleSecondaryTlb.INSTANCE).get().explanation());
        assertTrue(s.violationOf(NoUseAfterFree.INSTANCE).isDefined());
    }

    /** Traces say what an ATC invalidation dropped, and why it sent nothing. */
    @Test
    void anAtcInvalidationIsNarrated() {
        var unmapOnly = tlbcheck.model.kernel.Kernel.of("atc", tlbcheck.model.kernel.Procedure.of("zap",
                tlbcheck.model.kernel.Trigger.PTE_VALID, tlbcheck.model.kernel.PtlLock.INSTANCE,
                tlbcheck.model.kernel.ClearPte.UNMAP, tlbcheck.model.kernel.PtlUnlock.INSTANCE,
                new tlbcheck.model.kernel.InvalidateAtc("atc_inv").firstPages(1),
                tlbcheck.model.kernel.FreeOldFrame.INSTANCE));
        Platform ats = Platform.SMMU_WITHOUT_BTM.withAts();
        String[][] cases = {
            {"ats", "cached", "atc_inv (ATC, first 1 page(s)) -> DEV0's ATC"},
            {"ats", "", "atc_inv (ATC, first 1 page(s)) -> nothing cached"},
            {"", "", "skipped atc_inv (ATC, first 1 page(s)) (the platform has no ATS)"}};
        for (String[] c : cases) {
            Platform p = c[0].isEmpty() ? Platform.SMMU_WITHOUT_BTM : ats;
            Variant v = new Variant("atc", "", "a zap with an ATC invalidation", p, unmapOnly, Variants.SMMU_SMALL_SCOPE,
                    Variants.SMMU_SMALL_SCOPE);
            Scenario s = new Scenario(v).then(new SmmuFill(0, 0));
            if (!c[1].isEmpty()) s.then(new AtcFill(0, 0));
            s.then(new Start(0, "zap", 0, false), new Advance(0), new Advance(0), new Advance(0));
            assertEquals(c[2], s.model().kernel().procedure(0).narrate(s.model(), s.state(), 0));
        }
    }

    @Test
    void theNotifierInvalidatesTheAtcAfterTheTlbEvenUnderBtm() {
        for (Platform p : new Platform[] {Platform.SMMU_WITHOUT_BTM.withAts(), Platform.SMMU_WITH_BTM.withAts()}) {
            Scenario s = new Scenario(on(p, MmPaths.LINUX_6_6)).then(new SmmuFill(0, 0), new AtcFill(0, 0),
                    new Start(0, "unmap", 0, false)).finish(0);
            assertFalse(s.state().atc(0, 0).present(), p.toString());
            assertTrue(s.violationOf(NoStaleSecondaryTlb.INSTANCE).isEmpty(), p.toString());
        }
        Scenario tlbOnly = new Scenario(on(Platform.SMMU_WITH_BTM.withAts(), MmPaths.LINUX_6_6.mapOps(op ->
                op instanceof NotifySecondary n ? n.withoutAtc() : op)))
                .then(new SmmuFill(0, 0), new AtcFill(0, 0), new Start(0, "unmap", 0, false)).finish(0);
        assertFalse(tlbOnly.state().smmuTlb(0, 0).present(), "BTM dropped the TLB entry");
        assertTrue(tlbOnly.violationOf(NoStaleSecondaryTlb.INSTANCE).isDefined(), "but not the ATC's");
        Scenario migrated = new Scenario(on(Platform.SMMU_WITH_BTM.withAts(), MmPaths.LINUX_6_6.mapOps(op ->
                op instanceof NotifySecondary n ? n.withoutAtc() : op)))
                .then(new SmmuFill(0, 0), new AtcFill(0, 0), new Start(0, "migrate", 0, false)).finish(0);
        assertEquals("DEV0's ATC still grants access to the old frame f0 of page 0 (f0/RO) after migrate on CPU0 completed;"
                + " PTE is f1/RO", migrated.violationOf(tlbcheck.model.invariant.NoStaleAccessAfterRestriction.INSTANCE)
                .get().explanation());
    }
}
