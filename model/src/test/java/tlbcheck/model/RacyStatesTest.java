package tlbcheck.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vavr.collection.Array;
import io.vavr.control.Option;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tlbcheck.model.invariant.BreakBeforeMake;
import tlbcheck.model.invariant.FaultAnsweredAfterResolved;
import tlbcheck.model.invariant.ForwardProgress;
import tlbcheck.model.invariant.Invariant;
import tlbcheck.model.invariant.Invariants;
import tlbcheck.model.invariant.KvmMapsNothingStale;
import tlbcheck.model.invariant.NoLostWrite;
import tlbcheck.model.invariant.NoStaleAccessAfterRestriction;
import tlbcheck.model.invariant.NoStaleSecondaryTlb;
import tlbcheck.model.invariant.NoUseAfterFree;
import tlbcheck.model.invariant.Races;
import tlbcheck.model.invariant.SecondaryMirrorsCpuFlush;
import tlbcheck.model.invariant.Violation;
import tlbcheck.model.kernel.MmPaths;
import tlbcheck.model.kernel.Stage2Paths;
import tlbcheck.model.step.Advance;
import tlbcheck.model.step.CpuFill;
import tlbcheck.model.step.DeviceAccess;
import tlbcheck.model.step.DeviceIssue;
import tlbcheck.model.step.HandleDeviceFault;
import tlbcheck.model.step.SmmuFill;
import tlbcheck.model.step.Start;
import tlbcheck.model.step.VcpuAccess;
import tlbcheck.model.step.VcpuFill;

/**
 * Each invariant's racy state: the race window whose runs the hunt counts as evidence behind a "holds". A run is
 * counted when it is inside the window, and not before the window opens nor after the procedure closes it: a
 * predicate that is always true would make every "holds" look well tested, one that is never true would report
 * every "holds" as weak.
 */
class RacyStatesTest {

    /** Advances the CPU's procedure, one op at a time, until the state meets the condition. */
    private static Scenario advanceUntil(Scenario s, int cpu, Predicate<State> done) {
        while (!done.test(s.state())) {
            assertTrue(s.state().running(cpu).isDefined(), "CPU" + cpu + " finished before the window opened");
            s.then(new Advance(cpu));
        }
        return s;
    }

    private static Transition last(Scenario s) {
        return Replay.run(s.model(), s.steps(), List.of()).transitions().last();
    }

    private static boolean racy(Scenario s, Invariant inv) {
        return inv.racy(s.model(), last(s));
    }

    @Test
    @DisplayName("1: an SMMU entry differs from a PTE whose writer is in flight; a stale CPU entry alone does not count")
    void staleSmmuEntryWhileTheUpgradeIsInFlight() {
        Scenario s = new Scenario(Variants.V1).then(new SmmuFill(0, 0), new Start(0, "fault_upgrade", 0, true));
        assertFalse(racy(s, NoStaleSecondaryTlb.INSTANCE), "the PTE has not changed yet");
        advanceUntil(s, 0, st -> st.pte(0).permits(true));
        assertTrue(racy(s, NoStaleSecondaryTlb.INSTANCE), "SMMU0 holds f0/RO, the PTE is f0/RW, the flush is to come");
        s.finish(0);
        assertEquals(Pte.valid(0, Perm.RO), s.state().smmuTlb(0, 0), "V1 leaves the SMMU entry stale");
        assertFalse(racy(s, NoStaleSecondaryTlb.INSTANCE), "the upgrade completed: the window is closed (and invariant 1 breaks)");

        Scenario cpuOnly = new Scenario(Variants.V1).then(new CpuFill(1, 0), new Start(0, "fault_upgrade", 0, true));
        advanceUntil(cpuOnly, 0, st -> st.pte(0).permits(true));
        assertTrue(Races.staleWhilePending(cpuOnly.state(), true), "CPU1 still holds f0/RO while the upgrade is in flight");
        assertFalse(Races.staleWhilePending(cpuOnly.state(), false), "but invariant 1 is about SMMU entries");
        assertFalse(racy(cpuOnly, NoStaleSecondaryTlb.INSTANCE));
    }

    /** A rule of one's own that keeps the default racy state: any TLB entry that differs while its writer is in flight. */
    private static final Invariant DEFAULT_RACY = new Invariant() {
        @Override public String name() { return "own-rule"; }
        @Override public int number() { return 0; }
        @Override public String meaning() { return "nothing"; }
        @Override public Option<Violation> check(Model model, Transition t) { return Option.none(); }
    };

    @Test
    @DisplayName("the default racy state counts CPU entries too")
    void defaultRacyStateCountsCpuEntries() {
        Scenario s = new Scenario(Variants.V1).then(new CpuFill(1, 0), new Start(0, "fault_upgrade", 0, true));
        assertFalse(racy(s, DEFAULT_RACY));
        advanceUntil(s, 0, st -> st.pte(0).permits(true));
        assertTrue(racy(s, DEFAULT_RACY));
        s.finish(0);
        assertFalse(racy(s, DEFAULT_RACY), "the broadcast flush dropped CPU1's entry and the procedure is done");
        assertTrue(DEFAULT_RACY.racyState().contains("TLB entry differs"), DEFAULT_RACY.racyState());
    }

    @Test
    @DisplayName("2: a CPU TLB grants write while the write-protect that removed it is in flight")
    void writableEntryWhileWriteProtectIsInFlight() {
        Scenario s = new Scenario(Variants.V1).then(new Start(0, "fault_upgrade", 0, true)).finish(0)
                .then(new CpuFill(1, 0), new Start(0, "write_protect", 0, false));
        assertFalse(racy(s, NoStaleAccessAfterRestriction.INSTANCE), "CPU1's RW entry matches the RW PTE");
        advanceUntil(s, 0, st -> !st.pte(0).permits(true));
        assertTrue(racy(s, NoStaleAccessAfterRestriction.INSTANCE), "CPU1 grants write, the PTE is read-only, the flush is to come");
        s.finish(0);
        assertFalse(racy(s, NoStaleAccessAfterRestriction.INSTANCE));

        // The same through an SMMU entry.
        Scenario smmu = new Scenario(Variants.V1).then(new Start(0, "fault_upgrade", 0, true)).finish(0)
                .then(new SmmuFill(0, 0), new Start(0, "write_protect", 0, false));
        advanceUntil(smmu, 0, st -> !st.pte(0).permits(true));
        assertTrue(racy(smmu, NoStaleAccessAfterRestriction.INSTANCE), "SMMU0 grants write through f0/RW");
    }

    @Test
    @DisplayName("2: a vCPU TLB grants write while the stage-2 write-protect is in flight, not after it")
    void writableVcpuEntryWhileStage2WriteProtectIsInFlight() {
        Scenario s = new Scenario(Variants.V11).then(new Start(0, "s2_split", 0, false)).finish(0)
                .then(new VcpuFill(1, 0), new Start(0, "s2_wrprotect", 0, false));
        assertFalse(racy(s, NoStaleAccessAfterRestriction.INSTANCE));
        advanceUntil(s, 0, st -> !st.kvm().mapping(0).permits(true));
        assertTrue(racy(s, NoStaleAccessAfterRestriction.INSTANCE), "vCPU1 caches g0 RW, stage 2 is RO, the TLBI is to come");
        s.finish(0);
        assertEquals(Pte.valid(0, Perm.RW), s.state().kvm().vcpuTlb(1, 0), "V11's non-shareable TLBI missed vCPU1");
        assertFalse(racy(s, NoStaleAccessAfterRestriction.INSTANCE), "no writer in flight: a violation, not a race");
    }

    @Test
    @DisplayName("3: a TLB still points at a frame the unmap in flight will free")
    void translationToAFrameBeingFreed() {
        Scenario s = new Scenario(Variants.V5).then(new CpuFill(1, 0), new Start(0, "unmap", 0, false));
        assertFalse(racy(s, NoUseAfterFree.INSTANCE));
        advanceUntil(s, 0, st -> st.pte(0).none());
        assertTrue(racy(s, NoUseAfterFree.INSTANCE), "CPU1 still translates to f0, which the unmap holds to free");
        assertTrue(Races.cpuOrSmmuTranslates(s.state(), 0));
        assertFalse(Races.cpuOrSmmuTranslates(s.state(), 1), "nothing caches page 1's frame");
        s.finish(0);
        assertFalse(racy(s, NoUseAfterFree.INSTANCE));

        Scenario smmu = new Scenario(Variants.V5).then(new SmmuFill(0, 1), new Start(0, "unmap", 1, false));
        advanceUntil(smmu, 0, st -> st.pte(1).none());
        assertTrue(racy(smmu, NoUseAfterFree.INSTANCE), "SMMU0 still translates to f1");
        assertTrue(Races.cpuOrSmmuTranslates(smmu.state(), 1));
    }

    @Test
    @DisplayName("3: stage 2, a vCPU TLB or the APIC page still pointing at the frame is in the window too")
    void kvmTranslationsToAFrameBeingFreed() {
        // x86: the VMCS caches page 0's frame as the APIC-access page.
        Scenario apic = new Scenario(Variants.V7).then(new Start(0, "unmap", 0, false));
        advanceUntil(apic, 0, st -> st.pte(0).none());
        assertTrue(racy(apic, NoUseAfterFree.INSTANCE), "the VMCS still holds f0");

        // arm64: a vCPU caches the page entry a stage-2 unmap breaks.
        Scenario vcpu = new Scenario(Variants.V10).then(new Start(0, "s2_split", 0, false)).finish(0)
                .then(new VcpuFill(1, 0), new Start(0, "s2_unmap", 0, false));
        advanceUntil(vcpu, 0, st -> !st.kvm().s2().get(0).present());
        assertTrue(racy(vcpu, NoUseAfterFree.INSTANCE), "vCPU1 still caches g0 -> f0");
        vcpu.finish(0);
        assertFalse(racy(vcpu, NoUseAfterFree.INSTANCE));

        // arm64 on the host mm, KVM not subscribed: stage 2 keeps mapping the frame the host unmaps.
        Variant unsubscribed = new Variant("host-mm-unsubscribed", "", "test", Platform.arm64KvmOnHostMm(0),
                Stage2Paths.onHostMm("unsubscribed", MmPaths.LINUX_6_6, Stage2Paths::classic),
                Scope.of(2, 0, 2, 3), Scope.of(2, 0, 2, 3));
        Scenario s2 = new Scenario(unsubscribed).then(new Start(1, "kvm_fault_in", 0, false)).finish(1)
                .then(new Start(0, "unmap", 0, false));
        assertEquals(0, s2.state().kvm().mapping(0).frame());
        advanceUntil(s2, 0, st -> st.pte(0).none());
        assertTrue(racy(s2, NoUseAfterFree.INSTANCE), "stage 2 still maps g0 to f0");
    }

    @Test
    @DisplayName("4: a device (or vCPU) faulted on an access its PTE (stage-2 entry) already permits")
    void noProgressFault() {
        Scenario s = new Scenario(Variants.V1).then(new DeviceIssue(0, 0, true), new DeviceAccess(0));
        assertFalse(racy(s, ForwardProgress.INSTANCE), "the first fault is legitimate: the PTE is read-only");
        s.then(new HandleDeviceFault(0, 0)).finish(0).then(new DeviceAccess(0));
        assertTrue(racy(s, ForwardProgress.INSTANCE), "the retry faults on the stale RO entry though the PTE is RW");

        // V11: vCPU1 keeps a read-only entry the non-shareable relax TLBI on CPU0 missed.
        Scenario v = new Scenario(Variants.V11).then(new Start(0, "s2_split", 0, false)).finish(0)
                .then(new Start(0, "s2_wrprotect", 0, false)).finish(0)
                .then(new VcpuFill(1, 0), new Start(0, "s2_relax", 0, false)).finish(0);
        assertFalse(racy(v, ForwardProgress.INSTANCE));
        v.then(new VcpuAccess(1, 0, true));
        assertEquals(1, v.state().kvm().vcpuNoProgress(1));
        assertTrue(racy(v, ForwardProgress.INSTANCE));
    }

    @Test
    @DisplayName("5: a vCPU caches a block entry that stage 2 no longer has")
    void staleBlockEntry() {
        Scenario s = new Scenario(Variants.V10).then(new VcpuFill(1, -1), new Start(0, "s2_split", 0, false));
        assertFalse(racy(s, BreakBeforeMake.INSTANCE), "the block is still in stage 2");
        advanceUntil(s, 0, st -> !st.kvm().s2Block().present());
        assertTrue(racy(s, BreakBeforeMake.INSTANCE), "the break removed the block vCPU1 still caches");
        s.finish(0);
        assertFalse(racy(s, BreakBeforeMake.INSTANCE), "the broadcast TLBI dropped it");
    }

    @Test
    @DisplayName("6: a KVM fault-in holds a translated frame while an invalidation is in progress")
    void faultInDuringInvalidation() {
        Scenario s = new Scenario(Variants.V7).then(new Start(1, "kvm_fault_in", 0, false), new Advance(1));
        assertEquals(0, s.state().running(1).get().newFrame(), "hva_to_pfn translated f0");
        assertFalse(racy(s, KvmMapsNothingStale.INSTANCE), "no invalidation in progress");
        s.then(new Start(0, "unmap", 0, false));
        advanceUntil(s, 0, st -> st.kvm().invalidating() > 0);
        assertTrue(racy(s, KvmMapsNothingStale.INSTANCE));
        s.finish(0);
        assertFalse(racy(s, KvmMapsNothingStale.INSTANCE), "the invalidation is over");
    }

    @Test
    @DisplayName("7: a procedure completed after flushing; one that flushed nothing is not counted")
    void completedAfterAFlush() {
        Scenario s = new Scenario(Variants.V1).then(new Start(0, "fault_upgrade", 0, true));
        advanceUntil(s, 0, st -> st.running(0).get().flushes() > 0);
        assertFalse(racy(s, SecondaryMirrorsCpuFlush.INSTANCE), "not completed yet");
        s.finish(0);
        assertTrue(racy(s, SecondaryMirrorsCpuFlush.INSTANCE));
        Scenario mirrored = new Scenario(Variants.V5).then(new Start(0, "fault_upgrade", 0, true)).finish(0);
        assertTrue(racy(mirrored, SecondaryMirrorsCpuFlush.INSTANCE), "one flush and its one secondary invalidation");

        // Two upgrades of the same page: the second finds the PTE writable and changes, and flushes, nothing.
        Scenario idle = new Scenario(Variants.V1).then(new Start(0, "fault_upgrade", 0, true), new Start(1, "fault_upgrade", 0, true))
                .finish(0).finish(1);
        assertFalse(racy(idle, SecondaryMirrorsCpuFlush.INSTANCE));
    }

    @Test
    @DisplayName("8: the racy step is the page response itself")
    void theHandlerAnswers() {
        Scenario s = new Scenario(Variants.V1).then(new DeviceIssue(0, 0, true), new DeviceAccess(0), new HandleDeviceFault(0, 0));
        while (s.state().device(0).status() != DeviceStatus.READY) {
            assertFalse(racy(s, FaultAnsweredAfterResolved.INSTANCE), "before the response");
            s.then(new Advance(0));
        }
        assertTrue(racy(s, FaultAnsweredAfterResolved.INSTANCE));
        Scenario cpu = new Scenario(Variants.V1).then(new Start(0, "fault_upgrade", 0, true)).finish(0);
        assertFalse(racy(cpu, FaultAnsweredAfterResolved.INSTANCE), "a CPU fault answers no device");
    }

    @Test
    @DisplayName("9: a TLB translates to a frame a migration has unmapped and not yet copied")
    void migrationBeforeTheCopy() {
        Scenario s = new Scenario(Variants.V1).then(new CpuFill(1, 0), new Start(0, "migrate", 0, false));
        assertFalse(racy(s, NoLostWrite.INSTANCE));
        advanceUntil(s, 0, st -> st.pte(0) instanceof Pte.Migration);
        assertTrue(racy(s, NoLostWrite.INSTANCE), "CPU1 still writes to f0 through its entry");
        advanceUntil(s, 0, st -> !st.cpuTlb(1, 0).present());
        assertTrue(s.state().running(0).get().newFrame() < 0, "not copied yet");
        assertFalse(racy(s, NoLostWrite.INSTANCE), "ptep_clear_flush reached CPU1: nothing can write f0 any more");

        Scenario copied = new Scenario(Variants.V1).then(new Start(0, "migrate", 0, false));
        advanceUntil(copied, 0, st -> st.pte(0) instanceof Pte.Migration);
        copied.then(new CpuFill(1, 1));
        assertFalse(racy(copied, NoLostWrite.INSTANCE), "CPU1 caches page 1's frame, not the one being migrated");
    }

    @Test
    @DisplayName("9: copy-on-write, which copies before it clears: a writable translation left of the read-only PTE's frame")
    void copyOnWriteBeforeItsClear() {
        Model m = new Model(Variants.V5.withKernel("V5+cow", "with wp_page_copy",
                Variants.V5.kernel().plus(tlbcheck.model.kernel.MmPaths.LINUX_6_6.cow())));
        // A write-protect whose flush is deferred left CPU1 writing f0 while the PTE is f0/RO.
        State stale = m.initial().withCpuTlb(1, 0, Pte.valid(0, Perm.RW));
        Transition started = m.fire(stale, new Start(0, "cow", 0, true));
        assertTrue(NoLostWrite.INSTANCE.racy(m, started), "CPU1 can still write the page the cow is about to copy");
        assertFalse(NoLostWrite.INSTANCE.racy(m, m.fire(m.initial(), new Start(0, "cow", 0, true))), "nothing writes f0");
        assertFalse(NoLostWrite.INSTANCE.racy(m, m.fire(stale, new Start(0, "unmap", 0, false))), "unmap copies nothing");
        State s = started.after();
        while (!s.running(0).get().wrotePte()) s = m.fire(s, new Advance(0)).after();
        assertFalse(NoLostWrite.INSTANCE.racy(m, m.fire(s, new Advance(0))), "the clear flushed CPU1 and the copy is mapped");
    }

    @Test
    @DisplayName("every invariant names its meaning and its racy state")
    void everyInvariantNamesItsRace() {
        Array<Invariant> all = Invariants.all();
        assertEquals(all.size(), all.map(Invariant::racyState).distinct().size(), "one racy state each");
        assertEquals(all.size(), all.map(Invariant::meaning).distinct().size(), "one meaning each");
        for (Invariant inv : all) {
            assertTrue(inv.racyState().length() > 20, inv.name());
            assertTrue(inv.meaning().length() > 20, inv.name());
            assertEquals(inv, Invariants.byName(inv.name()));
            assertEquals(inv, Invariants.byName(String.valueOf(inv.number())));
        }
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Invariants.byName("no-such-rule"));
        assertTrue(e.getMessage().contains("1 (no-stale-secondary-tlb)"), e.getMessage());
    }

    @Test
    @DisplayName("a procedure in flight whose write left nothing stale is no race")
    void inFlightButNothingStale() {
        // The upgrade has written f0/RW; CPU1 refilled from it, so its entry equals the PTE; nobody else caches page 0.
        Scenario up = new Scenario(Variants.V1).then(new Start(0, "fault_upgrade", 0, true));
        advanceUntil(up, 0, st -> st.pte(0).permits(true));
        up.then(new CpuFill(1, 0));
        assertFalse(Races.staleWhilePending(up.state(), true));
        assertFalse(racy(up, NoStaleAccessAfterRestriction.INSTANCE), "a read-only entry grants less than RW, not more");
        // A stage-2 write-protect in flight that no vCPU caches.
        Scenario s2 = new Scenario(Variants.V10).then(new Start(0, "s2_split", 0, false)).finish(0)
                .then(new Start(0, "s2_wrprotect", 0, false));
        advanceUntil(s2, 0, st -> !st.kvm().mapping(0).permits(true));
        assertFalse(racy(s2, NoStaleAccessAfterRestriction.INSTANCE));
        // x86: an unmap of page 1 holds frame 1, which neither stage 2, a vCPU nor the APIC page (frame 0) translates.
        Scenario x86 = new Scenario(Variants.V7.withScope(Scope.of(2, 0, 2, 3))).then(new Start(0, "unmap", 1, false));
        advanceUntil(x86, 0, st -> st.pte(1).none());
        assertFalse(racy(x86, NoUseAfterFree.INSTANCE));
        // An invalidation in progress with no fault-in holding a frame; then a fault-in that has not translated yet.
        Scenario inv = new Scenario(Variants.V7).then(new Start(0, "unmap", 0, false));
        advanceUntil(inv, 0, st -> st.kvm().invalidating() > 0);
        assertFalse(racy(inv, KvmMapsNothingStale.INSTANCE));
    }

    @Test
    @DisplayName("9: the window closes at the copy, wherever the copy lands; 8: a page response no device waits for is no race")
    void windowsCloseWhereTheyShould() {
        // A migration that copies before its flush: once copied (into frame 0) the window is over, stale entry or not.
        Variant copyFirst = Variants.V1.withKernel("V1-copy-before-flush", "migration copies first",
                Variants.V1.kernel().with(tlbcheck.model.kernel.Procedure.of("migrate", tlbcheck.model.kernel.Trigger.PTE_VALID,
                        tlbcheck.model.kernel.PtlLock.INSTANCE, tlbcheck.model.kernel.ClearPte.MIGRATION,
                        tlbcheck.model.kernel.PtlUnlock.INSTANCE, tlbcheck.model.kernel.CopyToNewFrame.INSTANCE,
                        tlbcheck.model.kernel.FlushTlbPage.broadcast("late flush"), tlbcheck.model.kernel.PtlLock.INSTANCE,
                        new tlbcheck.model.kernel.SetPteNewFrame(Perm.RO), tlbcheck.model.kernel.PtlUnlock.INSTANCE,
                        tlbcheck.model.kernel.FreeOldFrame.INSTANCE)));
        Scenario s = new Scenario(copyFirst).then(new Start(0, "unmap", 0, false)).finish(0)
                .then(new CpuFill(1, 1), new Start(0, "migrate", 1, false));
        advanceUntil(s, 0, st -> st.pte(1) instanceof Pte.Migration);
        assertTrue(racy(s, NoLostWrite.INSTANCE));
        advanceUntil(s, 0, st -> st.running(0).get().newFrame() >= 0);
        assertEquals(0, s.state().running(0).get().newFrame());
        assertTrue(s.state().cpuTlb(1, 1).present(), "CPU1 still translates f1");
        assertFalse(racy(s, NoLostWrite.INSTANCE), "copied: past the window");

        // A CPU procedure with a page response in it answers no device.
        Variant odd = Variants.V1.withKernel("V1+odd", "a CPU path that sends a page response",
                Variants.V1.kernel().plus(tlbcheck.model.kernel.Procedure.of("odd", tlbcheck.model.kernel.Trigger.ANY,
                        tlbcheck.model.kernel.ResumeDevice.INSTANCE, tlbcheck.model.kernel.SetPteWritable.INSTANCE)));
        Scenario cpu = new Scenario(odd).then(new Start(0, "odd", 0, false), new Advance(0));
        assertFalse(racy(cpu, FaultAnsweredAfterResolved.INSTANCE));
    }
}
