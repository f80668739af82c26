package tlbcheck.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vavr.collection.Array;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tlbcheck.model.step.CpuFill;
import tlbcheck.model.step.DeviceAccess;
import tlbcheck.model.step.DeviceIssue;
import tlbcheck.model.step.SmmuFill;
import tlbcheck.model.step.Start;
import tlbcheck.model.step.Step;
import tlbcheck.model.step.VcpuAccess;
import tlbcheck.model.step.VcpuFill;

/** The values the state is made of: PTE codes, a procedure's debts, scopes, the steps a scope has, KVM's counters. */
class StateValuesTest {

    @Test
    @DisplayName("every PTE value has its own code, and the code gives the value back")
    void pteCodes() {
        Set<Integer> codes = new HashSet<>();
        java.util.List<Pte> all = new java.util.ArrayList<>(java.util.List.of(Pte.INVALID, Pte.LOCKED));
        for (int f = 0; f < Scope.MAX_FRAMES; f++) {
            all.add(Pte.valid(f, Perm.RO));
            all.add(Pte.valid(f, Perm.RW));
            all.add(Pte.Migration.of(f));
        }
        for (Pte p : all) {
            assertTrue(codes.add(p.code()), "code of " + p + " taken");
            assertEquals(p, Pte.fromCode(p.code()));
            assertTrue(p.code() >= 0 && p.code() < 32, "five bits: " + p);
        }
        assertEquals(0, Pte.INVALID.code());
    }

    @Test
    @DisplayName("exceeds says what beyond says, for every cached entry (pairs too) against every entry")
    void exceedsIsBeyond() {
        java.util.List<Pte> all = new java.util.ArrayList<>(java.util.List.of(Pte.INVALID, Pte.LOCKED));
        for (int f = 0; f < 4; f++) {
            for (Perm p : Perm.values()) all.add(Pte.valid(f, p));
            all.add(Pte.Migration.of(f));
        }
        java.util.List<Pte> cached = new java.util.ArrayList<>(all);
        for (Pte a : all) {
            for (Pte b : all) {
                if (a instanceof Pte.Valid x && b instanceof Pte.Valid y && x.frame() != y.frame()) cached.add(Pte.Both.of(x, y));
            }
        }
        int exceeding = 0;
        for (Pte c : cached) {
            for (Pte pte : all) {
                assertEquals(c.beyond(pte).isDefined(), c.exceeds(pte), c + " against " + pte);
                if (c.exceeds(pte)) exceeding++;
            }
        }
        assertTrue(exceeding > 0 && exceeding < cached.size() * all.size(), "both answers occur");
    }

    @Test
    @DisplayName("a procedure's debts: one group of bits per page of its range, one bit per TLB")
    void runningDebts() {
        Set<Integer> bits = new HashSet<>();
        for (int i = 0; i < Scope.MAX_CPUS; i++) {
            assertTrue(bits.add(Running.cpuBit(i)) & bits.add(Running.vcpuBit(i)) & bits.add(Running.vcpuBlockBit(i)));
        }
        for (int i = 0; i < Scope.MAX_SMMUS; i++) assertTrue(bits.add(Running.smmuBit(i)) & bits.add(Running.smmuDiffersBit(i)));
        assertEquals((1 << Running.OWED_BITS) - 1, bits.stream().mapToInt(Integer::intValue).sum(), "the bits fill OWED_BITS");

        Running r = Running.start(0, 1, 3, false, -1);
        assertFalse(r.covers(0));
        assertTrue(r.covers(1) && r.covers(3));
        assertFalse(r.covers(4));
        Running owing = r.owes(2, Running.cpuBit(1) | Running.smmuBit(0)).owes(3, Running.vcpuBlockBit(1));
        assertEquals(0, owing.owedOn(1));
        assertEquals(Running.cpuBit(1) | Running.smmuBit(0), owing.owedOn(2));
        assertEquals(Running.vcpuBlockBit(1), owing.owedOn(3));
        assertEquals(0, owing.owedOn(4), "outside the range");
        Running paid = owing.paid(2, Running.cpuBit(1));
        assertEquals(Running.smmuBit(0), paid.owedOn(2));
        assertEquals(Running.vcpuBlockBit(1), paid.owedOn(3), "other pages keep their debts");
        assertEquals(owing, owing.paid(1, Running.cpuBit(1)), "nothing owed there");
        assertEquals(owing, owing.paid(0, Running.cpuBit(1)), "outside the range");
        assertEquals(0, paid.paid(2, Running.smmuBit(0)).paid(3, Running.vcpuBlockBit(1)).owed());
        assertThrows(IllegalArgumentException.class, () -> r.owes(0, 1));
        assertEquals(Running.MAX_RANGE, Running.start(0, 0, Running.MAX_RANGE, false, -1).pages());
        assertThrows(IllegalArgumentException.class, () -> Running.start(0, 0, Running.MAX_RANGE + 1, false, -1));
        assertThrows(IllegalArgumentException.class, () -> Running.start(0, 0, 0, false, -1));
        assertEquals("pages 1..3", r.pagesText());
        assertEquals("page 1", Running.start(0, 1, false, -1).pagesText());
    }

    @Test
    @DisplayName("scopes: the bounds, what each refusal says, the text form both ways")
    void scopes() {
        String[][] bad = {
                {"0,1,2,3", "scope cpus=0 is outside 1..4"}, {"5,1,2,3", "scope cpus=5 is outside 1..4 (scope too large"},
                {"2,3,2,3", "scope smmus=3 is outside 0..2"}, {"2,1,0,3", "scope pages=0 is outside 1..6"},
                {"2,1,7,8", "scope pages=7 is outside 1..6"}, {"2,1,3,2", "(every page starts mapped, so frames >= pages - aliases; pages that share frames name their aliases"},
                {"2,1,2,9", "scope frames=9 is outside 2..8"}, {"2,1,2,3,3", "(a range spans at most the scope's pages, and at most 4)"},
                {"2,1,4,4,1,3", "(each alias is a second page mapping one of the first pages' frames, so at most half the pages)"},
        };
        for (String[] c : bad) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Scope.parse(c[0]), c[0]);
            assertTrue(e.getMessage().contains(c[1]), c[0] + ": " + e.getMessage());
        }
        assertFalse(assertThrows(IllegalArgumentException.class, () -> Scope.parse("2,1,2,3,0")).getMessage()
                .contains("a range spans"), "too small a range is not too large a one");
        assertEquals(Scope.of(4, 2, 6, 8).withRange(4).withAliases(3), Scope.parse("4,2,6,8,4,3"), "the largest scope");
        assertEquals(Scope.of(1, 0, 1, 1), Scope.parse("1cpu-0smmu-1page-1frame"), "the smallest");
        assertEquals(new Scope(2, 1, 4, 2, 1, 2), Scope.parse("2,1,4,2,1,2"), "frames >= pages - aliases");
        assertEquals("2cpu-1smmu-4page-5frame-2range-1alias", Scope.parse("2cpu-1smmu-4page-5frame-1alias-2range").toString());
        assertEquals("2cpu-1smmu-2page-3frame", Scope.of(2, 1, 2, 3).toString());
        assertEquals("2cpu-1smmu-2page-3frame-2range", Scope.parse("2,1,2,3,2").toString());
        assertEquals(Scope.of(2, 1, 2, 3), Scope.parse(Scope.of(2, 1, 2, 3).toString()));
    }

    @Test
    @DisplayName("the steps a scope has: starts as their triggers are entered, ranges, guest steps by platform")
    void candidates() {
        Array<Step> v1 = new Model(Variants.V1).candidates();
        assertTrue(v1.contains(new Start(0, "fault_upgrade", 0, true)) && !v1.contains(new Start(0, "fault_upgrade", 0, false)),
                "a write fault only");
        assertTrue(v1.contains(new Start(1, "map", 1, true)) && v1.contains(new Start(1, "map", 1, false)), "read or write");
        assertTrue(v1.contains(new Start(0, "unmap", 1, false)) && !v1.contains(new Start(0, "unmap", 1, true)));
        assertFalse(v1.exists(s -> s instanceof Start st && st.procedure().equals("iopf")), "entered by the device fault");
        assertFalse(v1.exists(s -> s instanceof Start st && st.pages() > 1), "range 1");
        assertFalse(v1.exists(s -> s instanceof VcpuFill), "no VM");
        assertEquals(2, v1.count(s -> s instanceof tlbcheck.model.step.Advance), "one per CPU");
        assertEquals(2, v1.count(s -> s instanceof tlbcheck.model.step.HandleDeviceFault), "2 CPUs x 1 device");
        assertEquals(2 * 2, v1.count(s -> s instanceof Start st && st.procedure().equals("unmap")), "2 CPUs x 2 pages");
        assertEquals(2 * 2, v1.count(s -> s instanceof Start st && st.procedure().equals("fault_upgrade")), "2 CPUs x 2 pages");
        for (Variant v : Variants.all()) {
            Model model = new Model(v);
            assertTrue(model.candidates().forAll(s -> !(s instanceof Start st) || st.page() + st.pages() <= model.scope().pages()),
                    v.name() + ": every start lies within the scope's pages");
        }
        Array<Step> ranged = new Model(Variants.V5, Scope.of(2, 1, 3, 4).withRange(2)).candidates();
        assertTrue(ranged.contains(new Start(0, "unmap", 1, 2, false)));
        assertFalse(ranged.contains(new Start(0, "unmap", 2, 2, false)), "the range would run past the last page");
        assertFalse(ranged.contains(new Start(0, "migrate", 0, 2, false)), "migrate is not ranged");
        assertEquals(2 * 3 * 4 + 3 * 4 + 1, ranged.count(s -> !(s instanceof Start) && !(s instanceof tlbcheck.model.step.Advance)
                && !(s instanceof tlbcheck.model.step.HandleDeviceFault)), "per page: 4 CPU steps x 2 CPUs, 4 SMMU steps; DMA");
        Array<Step> arm = new Model(Variants.V10).candidates();
        assertTrue(arm.contains(new VcpuFill(1, -1)) && arm.contains(new VcpuAccess(1, 1, true)));
        assertFalse(arm.contains(new VcpuAccess(1, -1, true)), "no access to the block itself");
        assertEquals(2 * 3, arm.count(s -> s instanceof VcpuFill), "2 vCPUs x (block + 2 pages)");
        assertEquals(2 * 3, arm.count(s -> s instanceof tlbcheck.model.step.VcpuEvict));
        assertEquals(2 * 2 * 2, arm.count(s -> s instanceof VcpuAccess), "2 vCPUs x 2 pages x read/write");
        assertTrue(arm.contains(new VcpuAccess(0, 0, false)));
        Array<Step> x86 = new Model(Variants.V7).candidates();
        assertTrue(x86.contains(new VcpuFill(1, 0)));
        assertEquals(2, x86.count(s -> s instanceof VcpuFill), "2 vCPUs x 1 page");
        assertFalse(x86.contains(new VcpuFill(1, -1)) || x86.exists(s -> s instanceof VcpuAccess), "x86 has no block, no guest access step");
    }

    @Test
    @DisplayName("writing a PTE or a stage-2 entry resets the no-progress counts of accesses to it, and only then")
    void noProgressResets() {
        Scenario s = new Scenario(Variants.V1).then(new DeviceIssue(0, 0, true), new DeviceAccess(0),
                new tlbcheck.model.step.HandleDeviceFault(0, 0)).finish(0).then(new DeviceAccess(0));
        assertEquals(1, s.state().device(0).noProgress());
        assertEquals(1, s.state().withPte(1, Pte.INVALID).device(0).noProgress(), "another page");
        assertEquals(0, s.state().withPte(0, Pte.valid(0, Perm.RW)).device(0).noProgress(), "any write to the page");

        Kvm k = new Model(Variants.V10).initial().kvm().withVcpuNoProgress(1, 2);
        assertEquals(2, k.withS2Block(k.s2Block()).vcpuNoProgress(1), "the same block");
        assertEquals(0, k.withS2Block(Pte.INVALID).vcpuNoProgress(1));
        assertEquals(2, k.withS2(0, Pte.INVALID).vcpuNoProgress(1), "the same (empty) entry");
        assertEquals(0, k.withS2(0, Pte.valid(0, Perm.RO)).vcpuNoProgress(1));
        Kvm both = k.withVcpuNoProgress(0, 1);
        assertEquals(Array.of(0, 0), both.withS2Block(Pte.INVALID).vcpuNoProgress(), "every vCPU's count");
        Kvm none = new Model(Variants.V10).initial().kvm();
        assertEquals(none.vcpuNoProgress(), none.withS2(0, Pte.valid(0, Perm.RO)).vcpuNoProgress());
    }

    @Test
    @DisplayName("a vCPU entry that grants more than stage 2 is a debt; one that changes is paid")
    void vcpuDebts() {
        Scenario s = new Scenario(Variants.V10).then(new Start(0, "s2_split", 0, false)).finish(0)
                .then(new VcpuFill(1, 0), new VcpuFill(0, 1));
        Kvm k = s.state().kvm();
        Pte ro = Pte.valid(0, Perm.RO);
        assertEquals(Running.vcpuBit(1), k.vcpusBeyond(0, ro));
        assertEquals(0, k.vcpusBeyond(0, Pte.valid(0, Perm.RW)));
        assertEquals(Running.vcpuBit(1), k.vcpusMadeStale(0, Pte.valid(0, Perm.RW), ro));
        assertEquals(0, k.vcpusMadeStale(0, ro, ro), "already stale against the old entry");
        Kvm block = new Scenario(Variants.V10).then(new VcpuFill(0, -1)).state().kvm();
        assertEquals(Running.vcpuBlockBit(0), block.vcpusBeyond(1, Pte.valid(1, Perm.RO)));

        Running owes = Running.start(0, 0, 2, false, -1).owes(0, Running.vcpuBit(1)).owes(1, Running.vcpuBit(0) | Running.vcpuBlockBit(0));
        State st = s.state().withRunning(0, owes);
        assertEquals(owes.owed(), st.withKvm(k).running(0).get().owed(), "nothing changed");
        State evicted = st.withKvm(k.withVcpuTlb(1, 0, Pte.INVALID));
        assertEquals(0, evicted.running(0).get().owedOn(0));
        assertEquals(Running.vcpuBit(0) | Running.vcpuBlockBit(0), evicted.running(0).get().owedOn(1));
        State blockChanged = st.withKvm(k.withVcpuBlock(0, Pte.valid(0, Perm.RW)));
        assertEquals(Running.vcpuBit(0), blockChanged.running(0).get().owedOn(1));
        assertEquals(st.withRunning(0, Running.start(0, 0, false, -1)).withKvm(k.withVcpuTlb(1, 0, Pte.INVALID)).running(0).get().owed(), 0);
    }

    @Test
    @DisplayName("CPU and SMMU entries that change pay the debts on them; mapcount counts migration entries")
    void tlbDebtsAndMapcount() {
        Scenario s = new Scenario(Variants.V1).then(new CpuFill(1, 0), new SmmuFill(0, 0));
        Running owes = Running.start(0, 0, false, -1).owes(Running.cpuBit(1) | Running.smmuBit(0) | Running.smmuDiffersBit(0));
        State st = s.state().withRunning(0, owes);
        assertEquals(Running.smmuBit(0) | Running.smmuDiffersBit(0), st.withCpuTlb(1, 0, Pte.INVALID).running(0).get().owedOn(0));
        assertEquals(Running.cpuBit(1), st.withSmmuTlb(0, 0, Pte.INVALID).running(0).get().owedOn(0), "both SMMU bits");
        assertEquals(owes.owed(), st.withCpuTlb(1, 1, Pte.INVALID).running(0).get().owed(), "another page");
        assertEquals(owes.owed(), st.withCpuTlb(0, 0, Pte.INVALID).running(0).get().owed(), "a TLB it did not owe");
        assertEquals(1, st.mapcount(0));
        assertEquals(1, st.withPte(0, Pte.Migration.of(0)).mapcount(0), "held for the migration");
        assertEquals(0, st.withPte(0, Pte.INVALID).mapcount(0));

        Running wrote = Running.start(0, 1, false, -1).wrote();
        State inFlight = st.withRunning(0, wrote);
        assertTrue(inFlight.translationChangeInFlight(1, 1, false));
        assertFalse(inFlight.translationChangeInFlight(0, 1, false), "another page");
        assertTrue(inFlight.translationChangeInFlight(0, 1, true), "stage 2: any page");
        assertFalse(inFlight.translationChangeInFlight(1, 0, false), "its own CPU");
        assertFalse(st.withRunning(0, Running.start(0, 1, false, -1)).translationChangeInFlight(1, 1, false), "not written yet");
    }

    @Test
    @DisplayName("the catalogues on the classpath: the built-in one, by name and by row or number")
    void catalogues() {
        Catalogues c = Catalogues.get();
        assertEquals(Variants.V5, c.variant("V5"));
        assertEquals(Variants.V5, c.variant(Variants.V5.name().toUpperCase()));
        assertEquals(tlbcheck.model.invariant.NoLostWrite.INSTANCE, c.invariant("9"));
        assertEquals(tlbcheck.model.invariant.NoLostWrite.INSTANCE, c.invariant("NO-LOST-WRITE"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> c.variant("V99")).getMessage().contains("V1 (V1-linux-6.4-noBTM)"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> c.invariant("0")).getMessage().contains("9 (no-lost-write)"));
        assertTrue(c.ownerOf(Variants.V1).isDefined());
        assertTrue(c.expected(Variants.V1, tlbcheck.model.invariant.NoLostWrite.INSTANCE).isEmpty(), "the built-in's live in the tests");
    }

    @Test
    @DisplayName("x86 KVM with and without an APIC-access page")
    void x86Platforms() {
        assertTrue(Platform.x86Kvm(true).apicAccessPage());
        assertFalse(Platform.x86Kvm(false).apicAccessPage());
        assertTrue(Platform.x86Kvm(false).guest().x86() && Platform.x86Kvm(true).guest().x86());
        assertFalse(Platform.arm64Kvm(0).apicAccessPage());
        assertEquals(Kvm.APIC_PAGE, State.initial(Scope.of(2, 0, 1, 2), Platform.x86Kvm(true)).kvm().apicFrame());
        assertEquals(-1, State.initial(Scope.of(2, 0, 1, 2), Platform.x86Kvm(false)).kvm().apicFrame());
    }

    @Test
    @DisplayName("each platform as the trace headers and the variants table print it")
    void platformTexts() {
        assertEquals("arm64+SMMUv3(BTM)", Platform.SMMU_WITH_BTM.toString());
        assertEquals("arm64+SMMUv3(no BTM)", Platform.SMMU_WITHOUT_BTM.toString());
        assertEquals("x86+KVM(APIC-access page)", Platform.x86Kvm(true).toString());
        assertEquals("x86+KVM(no APIC-access page)", Platform.x86Kvm(false).toString());
        assertEquals("arm64+KVM(stage-2, FEAT_BBM level 0)", Platform.arm64Kvm(0).toString());
        assertEquals("arm64+KVM(stage-2, FEAT_BBM level 2)", Platform.arm64Kvm(2).toString());
        assertEquals("arm64+KVM(stage-2, FEAT_BBM level 2 without no-abort)", Platform.arm64Kvm(2).mayRaiseConflictAbort().toString());
        assertEquals("arm64+KVM(stage-2, FEAT_BBM level 1, on the host mm)", Platform.arm64KvmOnHostMm(1).toString());
    }

    @Test
    @DisplayName("a device's access as traces print it")
    void deviceText() {
        assertEquals("idle", Device.IDLE.toString());
        assertEquals("faulted(W p1, no-progress 2)", new Device(DeviceStatus.FAULTED, 1, true, 2).toString());
        assertEquals("ready(R p0)", new Device(DeviceStatus.READY, 0, false, 0).toString());
    }

    @Test
    @DisplayName("what each kind of entry permits and how it prints; the checks a path makes of the PTE")
    void entriesAndConditions() {
        for (Pte p : new Pte[] {Pte.INVALID, Pte.LOCKED, Pte.Migration.of(1)}) {
            assertFalse(p.permits(false) || p.permits(true) || p.present(), p.toString());
        }
        assertEquals(-1, Pte.LOCKED.frame());
        assertEquals(1, Pte.Migration.of(1).frame());
        assertEquals("locked", Pte.LOCKED.toString());
        assertEquals("mig(f1)", Pte.Migration.of(1).toString());
        assertEquals("-", Pte.INVALID.toString());
        assertTrue(Pte.valid(0, Perm.RW).permits(true) && !Pte.valid(0, Perm.RO).permits(true) && Pte.valid(0, Perm.RO).permits(false));
        tlbcheck.model.kernel.PteCondition valid = tlbcheck.model.kernel.PteCondition.VALID;
        assertTrue(valid.test(Pte.valid(0, Perm.RO), false));
        assertFalse(valid.test(Pte.INVALID, false) || valid.test(Pte.Migration.of(0), false));
        tlbcheck.model.kernel.PteCondition invalid = tlbcheck.model.kernel.PteCondition.INVALID;
        assertTrue(invalid.test(Pte.INVALID, false));
        assertFalse(invalid.test(Pte.Migration.of(0), false), "a migration entry is not pte_none");
        tlbcheck.model.kernel.PteCondition wf = tlbcheck.model.kernel.PteCondition.WRITE_FAULT_ON_READ_ONLY;
        assertTrue(wf.test(Pte.valid(0, Perm.RO), true));
        assertFalse(wf.test(Pte.valid(0, Perm.RO), false) || wf.test(Pte.valid(0, Perm.RW), true));
        assertEquals(Variants.V1.name(), Variants.V1.toString());
        Model m = new Model(Variants.V1);
        assertEquals(m.initial(), Replay.run(m, java.util.List.of(), java.util.List.of()).finalState(m));
        Replay.Outcome one = Replay.run(m, java.util.List.of(new CpuFill(0, 0)), java.util.List.of());
        assertEquals(Pte.valid(0, Perm.RO), one.finalState(m).cpuTlb(0, 0));
        assertEquals(java.util.List.of(new CpuFill(0, 0)), one.steps().toJavaList());
    }

    @org.junit.jupiter.api.Test
    void theAllocatorHandsOutTheFrameFreedLast() {
        State s = State.initial(Scope.of(1, 0, 1, 3), Platform.SMMU_WITHOUT_BTM);
        assertEquals(1, s.nextFreeFrame(), "at the start the free frames are listed lowest first");
        State freed = s.withFrame(0, false);
        assertEquals(0, freed.nextFreeFrame(), "f0, freed last, is handed out first");
        State taken = freed.withFrame(0, true);
        assertEquals(1, taken.nextFreeFrame(), "then the list is as before");
        assertEquals(Array.of(0, 1, 2), taken.freeRank());
        assertEquals(taken, taken.withFrame(0, true), "a frame in use is left as it is");
        assertEquals(2, taken.withFrame(1, true).nextFreeFrame());
        assertEquals(-1, taken.withFrame(1, true).withFrame(2, true).nextFreeFrame());
    }
}
