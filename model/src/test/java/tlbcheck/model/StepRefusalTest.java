package tlbcheck.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
