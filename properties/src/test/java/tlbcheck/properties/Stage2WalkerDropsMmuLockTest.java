package tlbcheck.properties;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tlbcheck.model.Model;
import tlbcheck.model.Scope;
import tlbcheck.model.State;
import tlbcheck.model.step.Advance;
import tlbcheck.model.step.Start;
import tlbcheck.model.step.Step;

/**
 * A stage-2 walker that runs under {@code mmu_lock} (arm64 KVM on the host mm) and finds that the host's notifier
 * zapped its entry meanwhile has nothing left to do, but it must still drop the lock. It used to jump to the end of
 * its procedure, past the unlock; the next notifier callback then waited for the lock forever. {@code -Pdeep-explore}
 * found that at 2 CPUs as 504 states where nothing could move. The default build explores this variant on one CPU
 * only, where no notifier can run between the walker's lock and its read, so this trace (the shortest one to such a
 * state, cut where the walker reads) keeps it fixed.
 */
class Stage2WalkerDropsMmuLockTest {

    @Test
    void aCollapseThatFindsItsEntryZappedStillDropsMmuLock() {
        Model model = new Model(Arm64KvmOnHostMm.SUBSCRIBED, Scope.parse("2,0,2,3"));
        List<Step> trace = new ArrayList<>();
        trace.add(new Start(0, "kvm_fault_in", 0, false));
        advance(trace, 0, 5);
        trace.add(new Start(0, "kvm_fault_in", 1, false));
        trace.add(new Start(1, "unmap", 1, false));
        advance(trace, 0, 5);
        advance(trace, 1, 1);
        trace.add(new Start(0, "s2_collapse", 0, false));
        advance(trace, 1, 13);
        trace.add(new Start(1, "migrate", 0, false));
        advance(trace, 1, 3);
        advance(trace, 0, 2);  // s2_collapse: lock mmu_lock, then read the entry migrate has zapped
        State s = model.initial();
        for (Step step : trace) s = fire(model, s, step);
        while (s.running(0).isDefined()) s = fire(model, s, new Advance(0));
        assertFalse(s.kvm().mmuLock(), "s2_collapse ended holding mmu_lock");
        State end = s;
        assertTrue(model.candidates().exists(step -> step.enabled(model, end)), "nothing can move");
    }

    private static State fire(Model model, State s, Step step) {
        assertTrue(step.enabled(model, s), () -> step + " is refused: " + step.refusal(model, s));
        return step.fire(model, s).after();
    }

    private static void advance(List<Step> trace, int cpu, int times) {
        for (int i = 0; i < times; i++) trace.add(new Advance(cpu));
    }
}
