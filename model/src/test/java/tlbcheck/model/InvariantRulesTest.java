package tlbcheck.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vavr.control.Option;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tlbcheck.model.invariant.FaultAnsweredAfterResolved;
import tlbcheck.model.invariant.ForwardProgress;
import tlbcheck.model.invariant.Invariant;
import tlbcheck.model.invariant.Invariants;
import tlbcheck.model.invariant.KvmMapsNothingStale;
import tlbcheck.model.invariant.NoLostWrite;
import tlbcheck.model.invariant.NoStaleAccessAfterRestriction;
import tlbcheck.model.invariant.NoUseAfterFree;
import tlbcheck.model.invariant.Violation;
import tlbcheck.model.kernel.AllocFrame;
import tlbcheck.model.kernel.ClearPte;
import tlbcheck.model.kernel.CopyToNewFrame;
import tlbcheck.model.kernel.FlushTlbPage;
import tlbcheck.model.kernel.FreeOldFrame;
import tlbcheck.model.kernel.KvmInstallS2;
import tlbcheck.model.kernel.KvmLock;
import tlbcheck.model.kernel.KvmTranslate;
import tlbcheck.model.kernel.KvmX86Paths;
import tlbcheck.model.kernel.MapNewFrame;
import tlbcheck.model.kernel.MmPaths;
import tlbcheck.model.kernel.MmapLock;
import tlbcheck.model.kernel.MmapUnlock;
import tlbcheck.model.kernel.Op;
import tlbcheck.model.kernel.Procedure;
import tlbcheck.model.kernel.PteCondition;
import tlbcheck.model.kernel.PtlLock;
import tlbcheck.model.kernel.PtlUnlock;
import tlbcheck.model.kernel.RangeEnd;
import tlbcheck.model.kernel.ReleaseUnusedFrame;
import tlbcheck.model.kernel.ResumeDevice;
import tlbcheck.model.kernel.S2Break;
import tlbcheck.model.kernel.S2Change;
import tlbcheck.model.kernel.S2Make;
import tlbcheck.model.kernel.S2Read;
import tlbcheck.model.kernel.S2RelaxPerms;
import tlbcheck.model.kernel.Seq;
import tlbcheck.model.kernel.SetPteNewFrame;
import tlbcheck.model.kernel.Stage2Paths;
import tlbcheck.model.kernel.Trigger;
import tlbcheck.model.kernel.When;
import tlbcheck.model.step.Advance;
import tlbcheck.model.step.CpuAccess;
import tlbcheck.model.step.CpuFill;
import tlbcheck.model.step.DeviceAccess;
import tlbcheck.model.step.DeviceIssue;
import tlbcheck.model.step.HandleDeviceFault;
import tlbcheck.model.step.SmmuFill;
import tlbcheck.model.step.Start;
import tlbcheck.model.step.Step;
import tlbcheck.model.step.VcpuAccess;
import tlbcheck.model.step.VcpuFill;

/**
 * Each invariant's rules one by one, on variants broken in exactly the way a rule is about, and on the near misses
 * it must let pass: the hunts find the catalogue's verdicts, these say which part of a check found them.
 */
class InvariantRulesTest {

    private static Scenario advanceUntil(Scenario s, int cpu, Predicate<State> done) {
        while (!done.test(s.state())) {
            assertTrue(s.state().running(cpu).isDefined(), "CPU" + cpu + " finished first");
            s.then(new Advance(cpu));
        }
        return s;
    }

    /** The invariant judged on one more step from the scenario's state, the way the hunt judges it. */
    private static Option<Violation> next(Scenario s, Invariant inv, Step step) {
        return inv.check(s.model(), s.model().fire(s.state(), step));
    }

    private static String explanation(Scenario s, Invariant inv) {
        return s.violationOf(inv).map(Violation::explanation).getOrElse("no violation");
    }

    @Test
    @DisplayName("a rule that passes on another rule's violation is refused on replay, naming both and the fix")
    void aRuleReportsItsOwnViolations() {
        Invariant borrowing = new Invariant() {
            @Override public String name() { return "my-no-use-after-free"; }
            @Override public int number() { return 0; }
            @Override public String meaning() { return "as invariant 3"; }
            @Override public Option<Violation> check(Model model, tlbcheck.model.Transition t) {
                return NoUseAfterFree.INSTANCE.check(model, t);
            }
        };
        Invariant own = new Invariant() {
            @Override public String name() { return "my-no-use-after-free"; }
            @Override public int number() { return 0; }
            @Override public String meaning() { return "as invariant 3"; }
            @Override public Option<Violation> check(Model model, tlbcheck.model.Transition t) {
                return NoUseAfterFree.INSTANCE.check(model, t).map(v -> violation(v.explanation(), v.evidence()));
            }
        };
        Scenario uafRun = new Scenario(unmapNoFlush).then(new CpuFill(1, 0), new Start(0, "unmap", 0, false)).finish(0);
        java.util.List<tlbcheck.model.step.Step> uaf = uafRun.steps().asJava();
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> Replay.run(uafRun.model(), uaf, List.of(borrowing)));
        assertEquals("rule my-no-use-after-free (0) returned a violation of no-use-after-free (3): build a rule's"
                + " violations with its own violation(explanation, evidence), e.g. NoUseAfterFree.INSTANCE.check(model, t)"
                + ".map(v -> violation(v.explanation(), v.evidence()))", e.getMessage());
        assertEquals("my-no-use-after-free", Replay.run(uafRun.model(), uaf, List.of(own)).violation().get().invariant());
    }

    @Test
    @DisplayName("the invariants are numbered as the catalogue numbers them")
    void catalogueNumbers() {
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9), Invariants.all().map(Invariant::number).sorted().toJavaList());
        assertEquals(9, Invariants.all().map(Invariant::name).distinct().size());
    }

    @Test
    @DisplayName("each invariant speaks about the actors the model has")
    void whichInvariantsApply() {
        for (Variant v : Variants.all()) {
            java.util.Set<Integer> applies = new java.util.TreeSet<>(
                    Invariants.all().filter(i -> i.appliesTo(new Model(v))).map(Invariant::number).toJavaList());
            // Break-before-make is arm64's rule, for stage 1 (the SMMU platforms) as for stage 2.
            Set<Integer> expected = v.platform().guest() == Platform.Guest.NONE ? Set.of(1, 2, 3, 4, 5, 7, 8, 9)
                    : v.platform().guest() == Platform.Guest.X86_APIC ? Set.of(2, 3, 6, 9) : Set.of(2, 3, 4, 5, 9);
            assertEquals(new java.util.TreeSet<>(expected), applies, v.name());
        }
        Model hostMm = new Model(new Variant("host-mm", "", "arm64 KVM on the host mm", Platform.arm64KvmOnHostMm(0),
                Stage2Paths.onHostMm("host-mm", MmPaths.LINUX_6_6, Stage2Paths::classic), Scope.of(2, 0, 2, 3), Scope.of(2, 0, 2, 3)));
        assertEquals(List.of(2, 3, 4, 5, 6, 9), Invariants.all().filter(i -> i.appliesTo(hostMm)).map(Invariant::number).toJavaList());
    }

    @Test
    @DisplayName("a violation reads as its number, its name and its explanation")
    void violationText() {
        Violation v = new Scenario(Variants.V1).then(new SmmuFill(0, 0), new Start(0, "fault_upgrade", 0, true)).finish(0)
                .violationOf(tlbcheck.model.invariant.NoStaleSecondaryTlb.INSTANCE).get();
        assertEquals("invariant 1 (no-stale-secondary-tlb) violated: SMMU0 still maps page 0 f0/RO after fault_upgrade on"
                + " CPU0 completed; PTE is f0/RW", v.toString());
        assertEquals("page 0: PTE f0/RW, SMMU0 TLB f0/RO", v.evidence());
    }

    // ---- 1: no-stale-secondary-tlb -------------------------------------------------------------------------------

    @Test
    @DisplayName("1: a completed procedure answers for the SMMU entries its own write left differing; later, nobody does")
    void staleSmmuPerProcedureAndAfter() {
        Invariant one = tlbcheck.model.invariant.NoStaleSecondaryTlb.INSTANCE;
        Scenario s = new Scenario(Variants.V1).then(new SmmuFill(0, 0), new Start(0, "fault_upgrade", 0, true));
        advanceUntil(s, 0, st -> st.pte(0).permits(true));
        assertEquals(Running.smmuDiffersBit(0), s.state().running(0).get().owedOn(0) & Running.smmuDiffersBit(0));
        assertTrue(s.violationOf(one).isEmpty(), "in flight: the upgrade's own window");
        // Another procedure on page 0 completes meanwhile: it answers only for what it owes.
        Running owesCpu = Running.start(0, 0, false, -1).owes(Running.cpuBit(1));
        assertTrue(one.check(s.model(), new Transition(s.state(), new Advance(1), s.state(), Option.some(owesCpu), -1)).isEmpty());
        Running owesSmmu = Running.start(0, 0, false, -1).owes(Running.smmuDiffersBit(0));
        assertEquals("SMMU0 still maps page 0 f0/RO after fault_upgrade on CPU1 completed; PTE is f0/RW", one.check(s.model(),
                new Transition(s.state(), new Advance(1), s.state(), Option.some(owesSmmu), -1)).get().explanation());
        Running elsewhere = Running.start(0, 1, false, -1).owes(Running.smmuDiffersBit(0));
        assertTrue(one.check(s.model(), new Transition(s.state(), new Advance(1), s.state(), Option.some(elsewhere), -1)).isEmpty(),
                "a debt on page 1 says nothing about page 0");
        s.finish(0);
        assertEquals("SMMU0 still maps page 0 f0/RO after no procedure is in flight on it; PTE is f0/RW",
                next(s, one, new CpuFill(1, 0)).get().explanation());
    }

    // ---- 7: secondary-mirrors-cpu-flush ----------------------------------------------------------------------------

    @Test
    @DisplayName("7: broadening, narrowing and the flood are told apart")
    void mirrorMessages() {
        Invariant seven = tlbcheck.model.invariant.SecondaryMirrorsCpuFlush.INSTANCE;
        Model m = new Model(Variants.V1);
        java.util.function.Function<Running, String> judge = r -> seven.check(m,
                new Transition(m.initial(), new Advance(0), m.initial(), Option.some(r), -1)).map(Violation::explanation)
                .getOrElse("holds");
        Running r = Running.start(0, 0, false, -1);
        assertEquals("holds", judge.apply(r.flushed(2).invalidatedSecondary(2)));
        assertEquals("fault_upgrade on CPU0 flushed the CPU TLBs for page 0 2 time(s) but sent 1 secondary invalidations"
                + " (narrowing)", judge.apply(r.flushed(2).invalidatedSecondary(1)));
        assertEquals("fault_upgrade on CPU0 flushed the CPU TLBs for page 0 1 time(s) but sent 2 secondary invalidations"
                + " (broadening)", judge.apply(r.flushed(1).invalidatedSecondary(2)));
        assertEquals("fault_upgrade on CPU0 flushed the CPU TLBs for page 0 1 time(s) and never invalidated the secondary TLBs"
                + " (narrowing)", judge.apply(r.flushed(1)));
        assertTrue(judge.apply(r.invalidatedSecondary(1)).startsWith("fault_upgrade on CPU0 sent 1 secondary invalidation(s)"
                + " of page 0 without any CPU flush"));
        assertTrue(seven.check(m, Transition.of(m.initial(), new Advance(0), m.initial())).isEmpty(), "nothing completed");
    }

    // ---- 6: kvm-maps-nothing-stale -------------------------------------------------------------------------------

    /** V7 whose stage-2 fault-in installs what it translated without mmu_invalidate_retry. */
    private final Variant kvmNoRetry = Variants.V7.withKernel("V7-no-retry", "kvm_fault_in without the retry check",
            Variants.V7.kernel().with(Procedure.of("kvm_fault_in", Trigger.KVM_S2_MISSING,
                    KvmTranslate.INSTANCE, KvmLock.LOCK, KvmInstallS2.INSTANCE, KvmLock.UNLOCK)))
            .withScope(Scope.of(2, 0, 2, 3));

    /** CPU1 translates page {@code page} (hva_to_pfn) and stops there. */
    private static Scenario translated(Variant v, int page) {
        return new Scenario(v).then(new Start(1, "kvm_fault_in", page, false), new Advance(1));
    }

    @Test
    @DisplayName("6: installing a frame whose unmap has completed, or whose unmap is in progress, is named at the install")
    void staleInstall() {
        Scenario done = translated(kvmNoRetry, 0).then(new Start(0, "unmap", 0, false)).finish(0).finish(1);
        assertEquals("CPU1 installed f0 into stage 2 for guest page 0 but the PTE of page 0 is now -: its invalidation has"
                + " completed", explanation(done, KvmMapsNothingStale.INSTANCE));
        assertEquals(done.length() - 1, done.stepsUntilViolationOf(KvmMapsNothingStale.INSTANCE), "at the install, not at the unlock");

        Scenario doomed = translated(kvmNoRetry, 0).then(new Start(0, "unmap", 0, false));
        advanceUntil(doomed, 0, st -> st.running(0).get().inRange());
        doomed.then(new Advance(1), new Advance(1));
        assertEquals(Pte.valid(0, Perm.RO), doomed.state().kvm().s2().get(0), "installed while the PTE still maps f0");
        assertTrue(explanation(doomed, KvmMapsNothingStale.INSTANCE).endsWith(
                "while an invalidation of page 0 is in progress (range started, PTE not yet changed)"));

        // An unmap of another page in progress dooms nothing on page 0.
        Scenario other = translated(kvmNoRetry, 0).then(new Start(0, "unmap", 1, false));
        advanceUntil(other, 0, st -> st.running(0).get().inRange());
        other.then(new Advance(1), new Advance(1)).finish(1).finish(0);
        assertFalse(other.violationOf(KvmMapsNothingStale.INSTANCE).isDefined(), explanation(other, KvmMapsNothingStale.INSTANCE));

        // With the retry check (V7 as catalogued) the install is skipped.
        Scenario retry = translated(Variants.V7, 0).then(new Start(0, "unmap", 0, false)).finish(0).finish(1);
        assertEquals(Pte.INVALID, retry.state().kvm().s2().get(0));
        assertFalse(retry.violationOf(KvmMapsNothingStale.INSTANCE).isDefined());
    }

    @Test
    @DisplayName("6: an install judged against the frame it installed, not against whatever stage 2 holds")
    void installOfTheSameFrame() {
        Scenario fresh = translated(kvmNoRetry, 1).finish(1);
        assertEquals(Pte.valid(1, Perm.RO), fresh.state().kvm().s2().get(1));
        assertFalse(fresh.violationOf(KvmMapsNothingStale.INSTANCE).isDefined());
        // The APIC reload's install, after the unmap completed, with no second reload requested (V7).
        Scenario apic = new Scenario(Variants.V7).then(new Start(0, "unmap", 0, false));
        advanceUntil(apic, 0, st -> st.kvm().apicReload());
        apic.then(new Start(1, "apic_reload", 0, false), new Advance(1)); // kvm_check_request (silent), hva_to_pfn
        apic.finish(0).finish(1);
        assertEquals("CPU1 installed f0 into the APIC-access page (VMCS) but the PTE of page 0 is now -: its invalidation"
                + " has completed", explanation(apic, KvmMapsNothingStale.INSTANCE));
    }

    /** x86 KVM that never subscribed to the mm's notifier: nothing zaps stage 2 or asks for an APIC reload. */
    private final Variant x86Unsubscribed = Variants.V7.withKernel("x86-kvm-unsubscribed", "no KVM notifier callbacks",
            KvmX86Paths.kernel(MmPaths.LINUX_6_4, KvmX86Paths.APIC_RELOAD_UNCHECKED));

    @Test
    @DisplayName("6: at quiescence stage 2 and the APIC-access page agree with the PTEs, and only then")
    void quiescence() {
        Scenario s2 = new Scenario(x86Unsubscribed).then(new Start(1, "kvm_fault_in", 0, false)).finish(1)
                .then(new Start(0, "unmap", 0, false));
        advanceUntil(s2, 0, st -> st.pte(0).none());
        assertFalse(s2.violationOf(KvmMapsNothingStale.INSTANCE).isDefined(), "not quiescent while the unmap runs");
        s2.finish(0);
        assertEquals("at quiescence stage 2 maps guest page 0 to f0 but the PTE is -", explanation(s2, KvmMapsNothingStale.INSTANCE));

        Scenario apic = new Scenario(x86Unsubscribed).then(new Start(0, "unmap", 0, false)).finish(0);
        assertEquals("at quiescence the VMCS APIC-access address is f0 but the PTE of page 0 is - and no reload is pending",
                explanation(apic, KvmMapsNothingStale.INSTANCE));

        // V9: after the unmap and the reload the VMCS holds nothing; a page mapped again later is not a stale address.
        Scenario empty = new Scenario(Variants.V9).then(new Start(0, "unmap", 0, false)).finish(0)
                .then(new Start(1, "apic_reload", 0, false)).finish(1)
                .then(new Start(0, "map", 0, false)).finish(0);
        assertEquals(-1, empty.state().kvm().apicFrame());
        assertTrue(empty.state().pte(0).present());
        assertFalse(empty.violationOf(KvmMapsNothingStale.INSTANCE).isDefined(), explanation(empty, KvmMapsNothingStale.INSTANCE));
    }

    // ---- 2: no-stale-access-after-restriction ----------------------------------------------------------------------

    /** V1 whose mprotect neither flushes the CPUs nor notifies the SMMU. */
    private final Variant wpNoFlush = Variants.V1.withKernel("V1-wp-no-flush", "write_protect without its flush",
            MmPaths.LINUX_6_4.withFlushTlbRange(Seq.of("no flush"))
                    .withRangeEnd(Seq.of("invalidate_range_end", RangeEnd.INSTANCE)).kernel());

    private static Scenario writable(Variant v) {
        return new Scenario(v).then(new Start(0, "fault_upgrade", 0, true)).finish(0);
    }

    @Test
    @DisplayName("2: the write-protect that left a CPU or SMMU granting write answers for it when it completes, and after")
    void unflushedWriteProtect() {
        Scenario cpu = writable(wpNoFlush).then(new CpuFill(1, 0), new Start(0, "write_protect", 0, false)).finish(0);
        assertEquals("CPU1 still grants write to a write-protected page 0 (f0/RW) after write_protect on CPU0 completed;"
                + " PTE is f0/RO", explanation(cpu, NoStaleAccessAfterRestriction.INSTANCE));
        assertEquals(cpu.length(), cpu.stepsUntilViolationOf(NoStaleAccessAfterRestriction.INSTANCE));
        // Any later step: the entry no procedure answers for any more.
        assertEquals("CPU1 still grants write to a write-protected page 0 (f0/RW) after no procedure is in flight on it;"
                + " PTE is f0/RO", next(cpu, NoStaleAccessAfterRestriction.INSTANCE, new CpuFill(0, 1)).get().explanation());

        Scenario smmu = writable(wpNoFlush).then(new SmmuFill(0, 0), new Start(0, "write_protect", 0, false)).finish(0);
        assertTrue(explanation(smmu, NoStaleAccessAfterRestriction.INSTANCE).startsWith(
                "SMMU0 still grants write to a write-protected page 0 (f0/RW) after write_protect on CPU0 completed"));
        assertEquals(smmu.length(), smmu.stepsUntilViolationOf(NoStaleAccessAfterRestriction.INSTANCE));
        assertTrue(next(smmu, NoStaleAccessAfterRestriction.INSTANCE, new CpuFill(0, 1)).get().explanation()
                .startsWith("SMMU0 still grants write"));

        // While the write-protect is in flight its stale entries are its to flush: no violation yet.
        Scenario window = writable(wpNoFlush).then(new CpuFill(1, 0), new SmmuFill(0, 0), new Start(0, "write_protect", 0, false));
        advanceUntil(window, 0, st -> !st.pte(0).permits(true));
        assertFalse(window.violationOf(NoStaleAccessAfterRestriction.INSTANCE).isDefined());
    }

    @Test
    @DisplayName("2: a procedure answers only for the TLBs its own write left stale")
    void judgedPerProcedure() {
        Scenario s = writable(Variants.V1).then(new CpuFill(1, 0), new SmmuFill(0, 0), new Start(0, "write_protect", 0, false));
        advanceUntil(s, 0, st -> !st.pte(0).permits(true));
        Running wp = s.state().running(0).get();
        assertEquals(Running.cpuBit(1) | Running.smmuBit(0) | Running.smmuDiffersBit(0), wp.owedOn(0),
                "the write left CPU1 and SMMU0 granting write");
        // Another procedure completes on page 0 owing only CPU0 (which caches nothing): not its stale entries.
        Running other = Running.start(0, 0, false, -1).owes(Running.cpuBit(0));
        Transition t = new Transition(s.state(), new Advance(1), s.state(), Option.some(other), -1);
        assertTrue(NoStaleAccessAfterRestriction.INSTANCE.check(s.model(), t).isEmpty());
        Running owesSmmu = Running.start(0, 0, false, -1).owes(Running.smmuBit(0));
        assertTrue(NoStaleAccessAfterRestriction.INSTANCE.check(s.model(),
                new Transition(s.state(), new Advance(1), s.state(), Option.some(owesSmmu), -1)).get().explanation()
                .startsWith("SMMU0 still grants write"));
        Running owesCpu1 = Running.start(0, 0, false, -1).owes(Running.cpuBit(1));
        assertTrue(NoStaleAccessAfterRestriction.INSTANCE.check(s.model(),
                new Transition(s.state(), new Advance(1), s.state(), Option.some(owesCpu1), -1)).get().explanation()
                .startsWith("CPU1 still grants write"));
    }

    @Test
    @DisplayName("2: a vCPU's debt is judged when its restriction completes, even while another writer is in flight")
    void vcpuDebtWhileAnotherWriterIsInFlight() {
        // V11: CPU0's write-protect of g0 invalidates only its own TLB; CPU1 is in the middle of write-protecting g1.
        Scenario s = new Scenario(Variants.V11).then(new Start(0, "s2_split", 0, false)).finish(0)
                .then(new VcpuFill(1, 0), new Start(1, "s2_wrprotect", 1, false));
        advanceUntil(s, 1, st -> !st.kvm().mapping(1).permits(true));
        s.then(new Start(0, "s2_wrprotect", 0, false)).finish(0);
        assertEquals(s.length(), s.stepsUntilViolationOf(NoStaleAccessAfterRestriction.INSTANCE));
        assertTrue(explanation(s, NoStaleAccessAfterRestriction.INSTANCE).startsWith(
                "vCPU1 still grants write to a write-protected page (guest page 0, f0/RW) after s2_wrprotect on CPU0 completed"),
                explanation(s, NoStaleAccessAfterRestriction.INSTANCE));
        // A procedure that owes vCPU1's block entry (which it does not cache) is not blamed for its page entry.
        Running owesBlock = Running.start(0, 0, false, -1).owes(Running.vcpuBlockBit(1));
        Transition t = new Transition(s.state(), new Advance(0), s.state(), Option.some(owesBlock), -1);
        assertTrue(NoStaleAccessAfterRestriction.INSTANCE.check(s.model(), t).isEmpty());
        // Once no writer is in flight, the stale entry is a violation whoever left it.
        s.finish(1);
        assertTrue(next(s, NoStaleAccessAfterRestriction.INSTANCE, new VcpuFill(0, 0)).get().explanation()
                .startsWith("vCPU1 still grants write to a write-protected page (guest page 0, f0/RW) after no procedure"));
    }

    // ---- 3: no-use-after-free --------------------------------------------------------------------------------------

    /** V1 whose munmap neither flushes nor notifies before it frees the frames. */
    private final Variant unmapNoFlush = Variants.V1.withKernel("V1-unmap-no-flush", "unmap without its flush",
            MmPaths.LINUX_6_4.withTlbFlushMmu(Seq.of("no flush")).withRangeEnd(Seq.of("invalidate_range_end", RangeEnd.INSTANCE))
                    .kernel());

    @Test
    @DisplayName("3: an access to a freed frame is named as an access; a surviving translation as a survivor")
    void useAfterFree() {
        Scenario s = new Scenario(unmapNoFlush).then(new CpuFill(1, 0), new Start(0, "unmap", 0, false)).finish(0);
        assertTrue(s.state().frameFree(0));
        assertEquals("frame 0 was freed while CPU1's TLB entry for page 0 still points at it", explanation(s, NoUseAfterFree.INSTANCE));
        assertEquals("CPU1 accessed frame 0 after it was freed",
                next(s, NoUseAfterFree.INSTANCE, new CpuAccess(1, 0, false)).get().explanation());

        Scenario smmu = new Scenario(unmapNoFlush).then(new SmmuFill(0, 0), new Start(0, "unmap", 0, false)).finish(0);
        assertEquals("frame 0 was freed while SMMU0's TLB entry for page 0 still points at it",
                explanation(smmu, NoUseAfterFree.INSTANCE));
    }

    @Test
    @DisplayName("3: a vCPU entry or a stage-2 entry left pointing at a freed frame")
    void kvmUseAfterFree() {
        Variant noTlbi = Variants.V10.withKernel("V10-unmap-no-tlbi", "s2_unmap frees the frame without the TLBI",
                Stage2Paths.kernel("no-tlbi", c -> c == S2Change.UNMAP
                        ? S2Read.then(c, new S2Break(c), new S2Make(c, false), FreeOldFrame.INSTANCE)
                        : Stage2Paths.classic(c)));
        Scenario vcpu = new Scenario(noTlbi).then(new Start(0, "s2_split", 0, false)).finish(0)
                .then(new VcpuFill(1, 1), new Start(0, "s2_unmap", 1, false)).finish(0);
        assertEquals("frame 1 was freed while vCPU1's TLB entry for guest page 1 still points at it",
                explanation(vcpu, NoUseAfterFree.INSTANCE));
        assertEquals(vcpu.length(), vcpu.stepsUntilViolationOf(NoUseAfterFree.INSTANCE), "when the frame is freed, not before");

        Variant unsubscribed = new Variant("host-mm-unsubscribed", "", "KVM not subscribed to the host mm",
                Platform.arm64KvmOnHostMm(0), Stage2Paths.onHostMm("unsubscribed", MmPaths.LINUX_6_6, Stage2Paths::classic),
                Scope.of(2, 0, 2, 3), Scope.of(2, 0, 2, 3));
        Scenario s2 = new Scenario(unsubscribed).then(new Start(1, "kvm_fault_in", 1, false)).finish(1)
                .then(new Start(0, "unmap", 1, false)).finish(0);
        assertEquals("frame 1 was freed while stage 2's entry for guest page 1 still points at it",
                explanation(s2, NoUseAfterFree.INSTANCE));
    }

    // ---- 4: forward-progress -----------------------------------------------------------------------------------------

    @Test
    @DisplayName("4: a vCPU whose permission-fault handler never invalidates faults forever, named on its page")
    void vcpuLivelock() {
        Variant noTlbi = Variants.V10.withKernel("V10-relax-no-tlbi", "the permission-fault handler without its TLBI",
                Stage2Paths.kernel("no-tlbi", Stage2Paths::classic, Procedure.of("s2_fault", Trigger.VCPU_FAULT,
                        S2RelaxPerms.INSTANCE)));
        Scenario s = new Scenario(noTlbi).then(new Start(0, "s2_split", 0, false)).finish(0)
                .then(new Start(0, "s2_wrprotect", 1, false)).finish(0)
                .then(new VcpuFill(1, 1), new VcpuAccess(1, 1, true)).finish(1);
        assertEquals(Pte.valid(1, Perm.RW), s.state().kvm().s2().get(1), "the handler relaxed stage 2");
        assertEquals(Pte.valid(1, Perm.RO), s.state().kvm().vcpuTlb(1, 1), "and left vCPU1's entry");
        for (int i = 0; i <= ForwardProgress.BOUND; i++) {
            s.then(new VcpuAccess(1, 1, true));
            if (i < ForwardProgress.BOUND) s.finish(1);
        }
        Violation v = s.violationOf(ForwardProgress.INSTANCE).get();
        assertEquals(s.length(), s.stepsUntilViolationOf(ForwardProgress.INSTANCE));
        assertTrue(v.explanation().startsWith("vCPU1 took 4 stage-2 permission faults"), v.explanation());
        assertEquals("vCPU1 TLB g1 f1/RO, stage 2 f1/RW", v.evidence());
    }

    @Test
    @DisplayName("4: the device's livelock names the access it retries")
    void deviceLivelockMessage() {
        Scenario s = new Scenario(Variants.V1).then(new DeviceIssue(0, 0, true), new DeviceAccess(0));
        for (int i = 0; i <= ForwardProgress.BOUND; i++) {
            s.then(new HandleDeviceFault(0, 0)).finish(0).then(new DeviceAccess(0));
        }
        assertTrue(explanation(s, ForwardProgress.INSTANCE).startsWith("DEV0's write of page 0 faulted 4 times while the PTE"
                + " (f0/RW) already permitted it; SMMU0 keeps returning f0/RO"), explanation(s, ForwardProgress.INSTANCE));
    }

    // ---- 8: fault-answered-after-resolved ----------------------------------------------------------------------------

    private static Variant iopf(String name, Op... ops) {
        return Variants.V5.withKernel(name, name, MmPaths.LINUX_6_6.kernel().with(Procedure.of("iopf", Trigger.DEVICE_FAULT, ops)));
    }

    /** The page response first, handle_mm_fault after it. */
    private final Variant earlyResponse = iopf("early-response", ResumeDevice.INSTANCE, MmapLock.READ,
            When.of(PteCondition.INVALID, AllocFrame.INSTANCE), PtlLock.INSTANCE,
            When.of(PteCondition.INVALID, MapNewFrame.INSTANCE), ReleaseUnusedFrame.INSTANCE,
            When.of(PteCondition.WRITE_FAULT_ON_READ_ONLY, MmPaths.LINUX_6_6.ptepSetAccessFlags()),
            PtlUnlock.INSTANCE, MmapUnlock.READ);

    private static Scenario deviceFault(Variant v, boolean write) {
        return new Scenario(v).then(new DeviceIssue(0, 0, write), new DeviceAccess(0), new HandleDeviceFault(0, 0)).finish(0);
    }

    @Test
    @DisplayName("8: a page response before the fix is named; one after it, or one with nothing left to fix, is not")
    void pageResponseOrder() {
        Scenario early = deviceFault(earlyResponse, true);
        assertEquals("iopf on CPU0 resumed DEV0 before resolving its write fault on page 0: the PTE is f0/RO and"
                + " 'set PTE to new frame' is still to come", explanation(early, FaultAnsweredAfterResolved.INSTANCE));
        assertEquals(4, early.stepsUntilViolationOf(FaultAnsweredAfterResolved.INSTANCE), "at the response itself");
        assertFalse(deviceFault(Variants.V5, true).violationOf(FaultAnsweredAfterResolved.INSTANCE).isDefined());
        // A CPU upgraded the page before the handler ran: the early response answers a fault already resolved.
        Scenario resolved = new Scenario(earlyResponse).then(new DeviceIssue(0, 0, true), new DeviceAccess(0),
                new Start(1, "fault_upgrade", 0, true)).finish(1).then(new HandleDeviceFault(0, 0)).finish(0);
        assertFalse(resolved.violationOf(FaultAnsweredAfterResolved.INSTANCE).isDefined());
        // An early response whose handler has no fix to come is not this rule's business (forward progress judges it).
        Variant noFix = iopf("response-without-fix", ResumeDevice.INSTANCE, MmapLock.READ, PtlLock.INSTANCE, PtlUnlock.INSTANCE,
                MmapUnlock.READ, FlushTlbPage.broadcast("flush_tlb_page").always());
        assertFalse(deviceFault(noFix, true).violationOf(FaultAnsweredAfterResolved.INSTANCE).isDefined());
    }

    // ---- 9: no-lost-write ----------------------------------------------------------------------------------------------

    /** A migration that copies the page before its flush reaches the other CPUs. */
    private final Variant copyBeforeFlush = Variants.V1.withKernel("V1-copy-before-flush", "migration copies first",
            Variants.V1.kernel().with(Procedure.of("migrate", Trigger.PTE_VALID, PtlLock.INSTANCE, ClearPte.MIGRATION,
                    PtlUnlock.INSTANCE, CopyToNewFrame.INSTANCE, FlushTlbPage.broadcast("late flush"), PtlLock.INSTANCE,
                    new SetPteNewFrame(Perm.RO), PtlUnlock.INSTANCE, FreeOldFrame.INSTANCE)));

    @Test
    @DisplayName("9: a write through a stale entry after the copy is lost; a read, or a write before the copy, is not")
    void lostWrite() {
        // Page 0 unmapped first, so the copy of page 1's frame lands in frame 0.
        Scenario s = new Scenario(copyBeforeFlush).then(new Start(0, "unmap", 0, false)).finish(0)
                .then(new Start(0, "fault_upgrade", 1, true)).finish(0)
                .then(new CpuFill(1, 1), new Start(0, "migrate", 1, false));
        advanceUntil(s, 0, st -> st.pte(1) instanceof Pte.Migration);
        assertTrue(next(s, NoLostWrite.INSTANCE, new CpuAccess(1, 1, true)).isEmpty(), "not copied yet");
        advanceUntil(s, 0, st -> st.running(0).get().newFrame() >= 0);
        assertEquals(0, s.state().running(0).get().newFrame());
        assertTrue(next(s, NoLostWrite.INSTANCE, new CpuAccess(1, 1, false)).isEmpty(), "a read loses nothing");
        assertEquals("CPU1 wrote frame f1 after migrate on CPU0 copied it to f0: the write is lost",
                next(s, NoLostWrite.INSTANCE, new CpuAccess(1, 1, true)).get().explanation());
        assertTrue(next(s, NoLostWrite.INSTANCE, new DeviceIssue(0, 1, true)).isEmpty(), "issuing a DMA writes nothing yet");
    }

    @Test
    @DisplayName("9: copy-on-write: a write through a stale entry after cow_user_page is lost while the PTE is still the"
            + " one it faulted on; once a reuse made it writable, the fault will drop its copy and the write is no loss")
    void lostWriteToThePageACowCopied() {
        Model m = new Model(Variants.V5.withKernel("V5+cow", "with wp_page_copy",
                Variants.V5.kernel().plus(tlbcheck.model.kernel.MmPaths.LINUX_6_6.cow())));
        // A write-protect whose flush is deferred left CPU1 writing f0 while the PTE is f0/RO.
        State s = m.fire(m.initial().withCpuTlb(1, 0, Pte.valid(0, Perm.RW)), new Start(0, "cow", 0, true)).after();
        assertTrue(NoLostWrite.INSTANCE.check(m, m.fire(s, new CpuAccess(1, 0, true))).isEmpty(), "not copied yet");
        while (s.running(0).get().newFrame() < 0) s = m.fire(s, new Advance(0)).after();
        assertEquals("CPU1 wrote frame f0 after cow on CPU0 copied it to f" + s.running(0).get().newFrame() + ": the write is lost",
                NoLostWrite.INSTANCE.check(m, m.fire(s, new CpuAccess(1, 0, true))).get().explanation());
        assertTrue(NoLostWrite.INSTANCE.check(m, m.fire(s, new CpuAccess(1, 0, false))).isEmpty(), "a read loses nothing");
        State reused = s.withPte(0, Pte.valid(0, Perm.RW));
        assertTrue(NoLostWrite.INSTANCE.check(m, m.fire(reused, new CpuAccess(1, 0, true))).isEmpty(),
                "pte_same will fail: the copy is dropped, the write stays");
    }

    @Test
    @DisplayName("9: a device write after the copy is lost; a device read is not")
    void lostDeviceWrite() {
        for (boolean write : new boolean[] {true, false}) {
            Scenario s = new Scenario(copyBeforeFlush).then(new Start(0, "fault_upgrade", 0, true)).finish(0)
                    .then(new SmmuFill(0, 0), new DeviceIssue(0, 0, write), new Start(0, "migrate", 0, false));
            advanceUntil(s, 0, st -> st.running(0).get().newFrame() >= 0);
            assertEquals(write, next(s, NoLostWrite.INSTANCE, new DeviceAccess(0)).isDefined(), "write " + write);
        }
    }
}
