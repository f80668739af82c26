package tlbcheck.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import tlbcheck.model.invariant.Invariants;
import tlbcheck.model.step.Advance;
import tlbcheck.model.step.CpuEvict;
import tlbcheck.model.step.CpuFill;
import tlbcheck.model.step.DeviceAccess;
import tlbcheck.model.step.HandleDeviceFault;
import tlbcheck.model.step.Start;
import tlbcheck.model.step.Step;

/** A step that is not enabled is refused with a reason, never silently ignored. */
class StepRefusalTest {

    private final Model model = new Model(Variants.V1);

    private String refusal(State s, Step step) {
        return model.refusal(s, step).getOrElseThrow(() -> new AssertionError(step + " should be refused"));
    }

    @Test
    void hardwareStepsNeedSomethingToDo() {
        State s = model.initial();
        assertTrue(refusal(s, new CpuEvict(0, 0)).contains("no entry"));
        assertTrue(refusal(s, new DeviceAccess(0)).contains("no access ready"));
        assertTrue(refusal(s, new HandleDeviceFault(0, 0)).contains("no fault pending"));
        assertTrue(refusal(s, new Advance(1)).contains("not in a procedure"));
        assertTrue(refusal(s, new CpuFill(2, 0)).contains("not in the scope"));
        State filled = model.fire(s, new CpuFill(0, 0)).after();
        assertTrue(refusal(filled, new CpuFill(0, 0)).contains("already caches"));
    }

    @Test
    void aTlbNeverCachesAnInvalidPte() {
        Scenario s = new Scenario(Variants.V1).then(new Start(0, "unmap", 1, false)).finish(0);
        assertTrue(refusal(s.state(), new CpuFill(1, 1)).contains("invalid"));
    }

    @Test
    void locksSerialiseProcedures() {
        State s = new Scenario(Variants.V1)
                .then(new Start(0, "migrate", 0, false), new Advance(0), new Advance(0)) // range_start, PTL taken
                .then(new Start(1, "fault_upgrade", 0, true), new Advance(1)) // mmap_read_lock
                .state();
        String why = refusal(s, new Advance(1));
        assertTrue(why.startsWith("pte_offset_map_lock must wait"), why);
        assertTrue(why.contains("page-table lock of page 0 is held"), why);

        State writer = new Scenario(Variants.V1).then(new Start(0, "unmap", 1, false), new Advance(0))
                .then(new Start(1, "fault_upgrade", 0, true)).state();
        assertTrue(refusal(writer, new Advance(1)).contains("held for write"));
    }

    @Test
    void triggersAndUnknownProcedures() {
        State s = model.initial();
        assertTrue(refusal(s, new Start(0, "map", 0, false)).contains("PTE_INVALID"));
        assertTrue(refusal(s, new Start(0, "iopf", 0, false)).contains("HandleDeviceFault"));
        assertTrue(refusal(s, new Start(0, "mremap", 0, false)).contains("has no procedure 'mremap'"));
        State busy = model.fire(s, new Start(0, "unmap", 0, false)).after();
        assertTrue(refusal(busy, new Start(0, "unmap", 1, false)).contains("busy"));
    }

    @Test
    void fireAndReplayRefuseLoudly() {
        StepRefusedException e = assertThrows(StepRefusedException.class,
                () -> model.fire(model.initial(), new Advance(0)));
        assertTrue(e.getMessage().contains("not in a procedure"));
        Replay.StepNotEnabled r = assertThrows(Replay.StepNotEnabled.class, () -> Replay.run(model,
                List.of(new CpuFill(0, 0), new CpuFill(0, 0)), Invariants.all()));
        assertEquals(1, r.index());
        assertTrue(r.getMessage().startsWith("step 2 "), r.getMessage());
    }

    /** Steps of the random walk below; mutation testing (-Pmutation) runs it shorter, once per mutant. */
    private static final int WALK = Integer.getInteger("tlbcheck.refusalWalk", 800);

    @Test
    void theFastEnabledCheckAgreesWithTheRefusal() {
        for (Variant v : Variants.all()) {
            Model m = new Model(v, Scope.of(2, 1, 3, 4));
            java.util.SplittableRandom random = new java.util.SplittableRandom(5);
            State s = m.initial();
            for (int i = 0; i < WALK; i++) {
                for (Step step : m.candidates()) {
                    assertEquals(m.refusal(s, step).isEmpty(), step.enabled(m, s), step + " in " + s);
                }
                io.vavr.collection.Array<Step> enabled = m.enabled(s);
                s = m.fire(s, enabled.get(random.nextInt(enabled.size()))).after();
            }
        }
    }

    /**
     * A step naming a CPU, SMMU, device or page the scope does not have (a hand-edited file, a step of a larger
     * scope) is refused with a reason, and the fast check agrees: it is never enabled.
     */
    @Test
    void aStepOfALargerScopeIsRefusedWhereTheScopeLacksItsActor() {
        for (Variant v : Variants.all()) {
            Scope small = v.smallScope();
            Model m = new Model(v, small);
            Model larger = new Model(v, new Scope(Math.min(small.cpus() + 1, Scope.MAX_CPUS),
                    small.smmus() == 0 ? 0 : Scope.MAX_SMMUS, Math.min(small.pages() + 1, Scope.MAX_PAGES),
                    Math.min(small.frames() + 1, Scope.MAX_FRAMES), small.range(), small.aliases()));
            java.util.SplittableRandom random = new java.util.SplittableRandom(9);
            State s = m.initial();
            for (int i = 0; i < Math.min(WALK, 60); i++) {
                for (Step step : larger.candidates()) {
                    if (m.candidates().contains(step)) continue;
                    assertTrue(m.refusal(s, step).isDefined(), step + " is outside " + small + " but accepted in " + s);
                    assertTrue(!step.enabled(m, s), step + " is outside " + small + " but enabled in " + s);
                }
                io.vavr.collection.Array<Step> enabled = m.enabled(s);
                s = m.fire(s, enabled.get(random.nextInt(enabled.size()))).after();
            }
        }
    }

    /** A hand-edited or foreign file may name a range no scope step has: refused with the reason, never enabled. */
    @Test
    void rangesOutsideTheScope() {
        Model ranged = new Model(Variants.V5, Scope.of(2, 1, 3, 4).withRange(2));
        State s = ranged.initial();
        String[][] cases = {
                {"unmap", "1", "3", "pages 1..3 are outside the scope's 3 pages"},
                {"unmap", "0", "3", "a range of 3 pages is beyond the scope's range 2"},
                {"unmap", "0", "0", "pages 0..-1 are outside the scope's 3 pages"},
                {"migrate", "0", "2", "migrate is not entered on a range; give it 1 page"},
        };
        for (String[] c : cases) {
            Start start = new Start(0, c[0], Integer.parseInt(c[1]), Integer.parseInt(c[2]), false);
            assertEquals(c[3], ranged.refusal(s, start).getOrElse("accepted"), start.toString());
            assertTrue(!start.enabled(ranged, s), start + " is enabled");
        }
        Start two = new Start(0, "unmap", 1, 2, false);
        assertTrue(ranged.refusal(s, two).isEmpty() && two.enabled(ranged, s));
    }

    /** A guest access to a page stage 2 no longer maps waits for s2_map; a write through a read-only entry enters the handler. */
    @Test
    void guestAccessesAndTheirHandler() {
        Scenario unmapped = new Scenario(Variants.V10).then(new tlbcheck.model.step.Start(0, "s2_split", 0, false)).finish(0)
                .then(new Start(0, "s2_unmap", 1, false)).finish(0);
        tlbcheck.model.step.VcpuAccess read = new tlbcheck.model.step.VcpuAccess(1, 1, false);
        assertTrue(refusal(unmapped.model(), unmapped.state(), read).contains("not mapped"));
        assertTrue(!read.enabled(unmapped.model(), unmapped.state()));

        // The handler need not be the kernel's first procedure: the fault enters whichever one it is.
        tlbcheck.model.kernel.Kernel k = Variants.V10.kernel();
        Variant handlerLast = Variants.V10.withKernel("V10-handler-last", "the fault handler listed last",
                new tlbcheck.model.kernel.Kernel(k.name(), k.procedures().tail().append(k.procedures().head())));
        Scenario s = new Scenario(handlerLast).then(new Start(0, "s2_split", 0, false)).finish(0)
                .then(new Start(0, "s2_wrprotect", 1, false)).finish(0)
                .then(new tlbcheck.model.step.VcpuAccess(1, 1, true));
        assertEquals("s2_fault", s.model().kernel().procedure(s.state().running(1).get().procedure()).name());

        // Without a permission-fault handler a write through a read-only translation cannot be taken at all.
        Variant noHandler = Variants.V10.withKernel("V10-no-handler", "no permission-fault handler",
                new tlbcheck.model.kernel.Kernel(k.name(), k.procedures().tail()));
        Scenario none = new Scenario(noHandler).then(new Start(0, "s2_split", 0, false)).finish(0)
                .then(new Start(0, "s2_wrprotect", 1, false)).finish(0);
        tlbcheck.model.step.VcpuAccess write = new tlbcheck.model.step.VcpuAccess(1, 1, true);
        assertTrue(none.model().refusal(none.state(), write).isDefined());
        assertTrue(!write.enabled(none.model(), none.state()));
    }

    private static String refusal(Model m, State s, Step step) {
        return m.refusal(s, step).getOrElseThrow(() -> new AssertionError(step + " should be refused"));
    }

    /** A CPU translates through its TLB entry when it has one, whatever the PTE says meanwhile. */
    @Test
    void accessesGoThroughTheCachedEntry() {
        // CPU1 caches RW; write_protect has made the PTE read-only and not flushed yet: the store still goes through.
        Scenario wp = new Scenario(Variants.V1).then(new Start(0, "fault_upgrade", 0, true)).finish(0)
                .then(new CpuFill(1, 0), new Start(0, "write_protect", 0, false));
        while (wp.state().pte(0).permits(true)) wp.then(new Advance(0));
        tlbcheck.model.step.CpuAccess store = new tlbcheck.model.step.CpuAccess(1, 0, true);
        assertTrue(wp.model().refusal(wp.state(), store).isEmpty());
        assertTrue(store.enabled(wp.model(), wp.state()));
        // CPU1 caches RO; the upgrade has made the PTE writable and not flushed yet: the store faults.
        Scenario up = new Scenario(Variants.V1).then(new CpuFill(1, 0), new Start(0, "fault_upgrade", 0, true));
        while (!up.state().pte(0).permits(true)) up.then(new Advance(0));
        assertEquals("the write would fault (CPU1's TLB entry f0/RO), and no fault path of kernel linux-6.4 is entered"
                + " on PTE f0/RW", refusal(up.model(), up.state(), store));
        // Where the PTE is gone, the fault is the kernel's path for an unmapped page.
        Scenario gone = new Scenario(Variants.V1).then(new Start(0, "unmap", 0, false)).finish(0);
        assertEquals("the write would fault; start map instead", refusal(gone.model(), gone.state(), store));
        assertTrue(!store.enabled(up.model(), up.state()));
    }

    /** A vCPU TLB evicts what it caches, the page entry or the block entry, and is refused where it caches nothing. */
    @Test
    void vcpuEvictions() {
        Scenario s = new Scenario(Variants.V10).then(new tlbcheck.model.step.VcpuFill(1, -1), new tlbcheck.model.step.VcpuFill(0, -1),
                new tlbcheck.model.step.VcpuEvict(0, -1));
        assertEquals(Pte.INVALID, s.state().kvm().vcpuBlocks().get(0));
        assertEquals(Pte.valid(0, Perm.RW), s.state().kvm().vcpuBlocks().get(1), "vCPU1 keeps its block");
        tlbcheck.model.step.VcpuEvict page0 = new tlbcheck.model.step.VcpuEvict(1, 0);
        assertTrue(refusal(s.model(), s.state(), page0).contains("vCPU1 caches nothing there"), "the block is not a page entry");
        assertTrue(!page0.enabled(s.model(), s.state()));
        Scenario split = new Scenario(Variants.V10).then(new Start(0, "s2_split", 0, false)).finish(0)
                .then(new tlbcheck.model.step.VcpuFill(1, 0), new tlbcheck.model.step.VcpuFill(1, 1), new tlbcheck.model.step.VcpuEvict(1, 0));
        assertEquals(Pte.INVALID, split.state().kvm().vcpuTlb(1, 0));
        assertEquals(Pte.valid(1, Perm.RW), split.state().kvm().vcpuTlb(1, 1));
        assertTrue(new tlbcheck.model.step.VcpuEvict(1, 1).enabled(split.model(), split.state()));
        assertTrue(!new tlbcheck.model.step.VcpuEvict(1, 2).enabled(split.model(), split.state()), "no guest page 2");
        assertTrue(!new tlbcheck.model.step.VcpuEvict(2, 1).enabled(split.model(), split.state()), "no vCPU2");
        // A model without a VM: nothing to evict, refused rather than failing.
        assertTrue(model.refusal(model.initial(), new tlbcheck.model.step.VcpuEvict(0, 0)).isDefined());
        assertTrue(model.refusal(model.initial(), new tlbcheck.model.step.VcpuFill(0, 0)).get().contains("no VM"));
    }

    /** The device-fault handler is found wherever the kernel lists it, and a kernel without one takes no device fault. */
    @Test
    void deviceFaultHandlerAnywhere() {
        tlbcheck.model.kernel.Kernel k = Variants.V1.kernel();
        Variant first = Variants.V1.withKernel("V1-iopf-first", "iopf listed first",
                new tlbcheck.model.kernel.Kernel(k.name(), k.procedures().takeRight(1).appendAll(k.procedures().dropRight(1))));
        Scenario s = new Scenario(first).then(new tlbcheck.model.step.DeviceIssue(0, 0, true), new DeviceAccess(0));
        assertTrue(new HandleDeviceFault(1, 0).enabled(s.model(), s.state()));
        assertTrue(new HandleDeviceFault(0, 0).enabled(s.model(), s.state()), "either idle CPU takes it, CPU 0 too");
        s.then(new HandleDeviceFault(1, 0));
        assertFalse(new HandleDeviceFault(0, 0).enabled(s.model(), s.state()), "CPU 1 took it");
        assertEquals("iopf", s.model().kernel().procedure(s.state().running(1).get().procedure()).name());
        Variant none = Variants.V1.withKernel("V1-no-iopf", "no device-fault handler",
                new tlbcheck.model.kernel.Kernel(k.name(), k.procedures().dropRight(1)));
        Scenario f = new Scenario(none).then(new tlbcheck.model.step.DeviceIssue(0, 0, true), new DeviceAccess(0));
        assertEquals("kernel " + k.name() + " has no device-fault procedure", refusal(f.model(), f.state(), new HandleDeviceFault(1, 0)));
        assertFalse(new HandleDeviceFault(1, 0).enabled(f.model(), f.state()));
    }
}
