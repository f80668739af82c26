package tlbcheck.hunt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;
import tlbcheck.model.step.Advance;
import tlbcheck.model.step.CpuAccess;
import tlbcheck.model.step.CpuEvict;
import tlbcheck.model.step.CpuFill;
import tlbcheck.model.step.DeviceAccess;
import tlbcheck.model.step.DeviceIssue;
import tlbcheck.model.step.HandleDeviceFault;
import tlbcheck.model.step.SmmuEvict;
import tlbcheck.model.step.SmmuFill;
import tlbcheck.model.step.Start;
import tlbcheck.model.step.Step;
import tlbcheck.model.step.VcpuAccess;
import tlbcheck.model.step.VcpuEvict;
import tlbcheck.model.step.VcpuFill;

/**
 * The shrinker's rewrites of one step: a rename reaches every CPU, page and device index of every kind of step,
 * and nothing else; the order it prefers puts reads before writes and lower indices first. {@link ShrinkerTest}
 * judges the shrinker with this same order, so the order itself is checked here.
 */
class StepRewritesTest {

    private static final IntUnaryOperator ID = IntUnaryOperator.identity();
    private static final IntUnaryOperator UP = i -> i + 1;

    @Test
    void aRenameReachesEveryIndexOfEveryKindOfStep() {
        List<Step[]> cases = List.of(
                new Step[] {new CpuFill(0, 1), new CpuFill(1, 1), new CpuFill(0, 2), new CpuFill(0, 1)},
                new Step[] {new CpuEvict(0, 1), new CpuEvict(1, 1), new CpuEvict(0, 2), new CpuEvict(0, 1)},
                new Step[] {new CpuAccess(0, 1, true), new CpuAccess(1, 1, true), new CpuAccess(0, 2, true), new CpuAccess(0, 1, true)},
                new Step[] {new SmmuFill(0, 1), new SmmuFill(0, 1), new SmmuFill(0, 2), new SmmuFill(1, 1)},
                new Step[] {new SmmuEvict(0, 1), new SmmuEvict(0, 1), new SmmuEvict(0, 2), new SmmuEvict(1, 1)},
                new Step[] {new DeviceIssue(0, 1, true), new DeviceIssue(0, 1, true), new DeviceIssue(0, 2, true), new DeviceIssue(1, 1, true)},
                new Step[] {new DeviceAccess(0), new DeviceAccess(0), new DeviceAccess(0), new DeviceAccess(1)},
                new Step[] {new Start(0, "unmap", 1, 2, false), new Start(1, "unmap", 1, 2, false), new Start(0, "unmap", 2, 2, false),
                        new Start(0, "unmap", 1, 2, false)},
                new Step[] {new HandleDeviceFault(0, 0), new HandleDeviceFault(1, 0), new HandleDeviceFault(0, 0), new HandleDeviceFault(0, 1)},
                new Step[] {new Advance(0), new Advance(1), new Advance(0), new Advance(0)},
                new Step[] {new VcpuFill(0, 0), new VcpuFill(1, 0), new VcpuFill(0, 1), new VcpuFill(0, 0)},
                new Step[] {new VcpuFill(0, -1), new VcpuFill(1, -1), new VcpuFill(0, -1), new VcpuFill(0, -1)},
                new Step[] {new VcpuEvict(0, 0), new VcpuEvict(1, 0), new VcpuEvict(0, 1), new VcpuEvict(0, 0)},
                new Step[] {new VcpuEvict(0, -1), new VcpuEvict(1, -1), new VcpuEvict(0, -1), new VcpuEvict(0, -1)},
                new Step[] {new VcpuAccess(0, 1, true), new VcpuAccess(1, 1, true), new VcpuAccess(0, 2, true), new VcpuAccess(0, 1, true)});
        for (Step[] c : cases) {
            Step step = c[0];
            assertEquals(step, StepRewrites.rename(step, ID, ID, ID), "the identity");
            assertEquals(c[1], StepRewrites.rename(step, UP, ID, ID), "the CPU of " + step);
            assertEquals(c[2], StepRewrites.rename(step, ID, UP, ID), "the page of " + step + " (guest page 0 is a page; the block, -1, stays)");
            assertEquals(c[3], StepRewrites.rename(step, ID, ID, UP), "the device of " + step);
        }
    }

    @Test
    void aSwapExchangesTwoIndicesAndKeepsTheRest() {
        IntUnaryOperator swap = StepRewrites.swap(0, 2);
        assertEquals(List.of(2, 1, 0, 3), java.util.stream.IntStream.range(0, 4).map(swap).boxed().toList());
    }

    @Test
    void readsAndLowerIndicesAreSimpler() {
        assertEquals(List.of(new CpuAccess(1, 2, false)), StepRewrites.simpler(new CpuAccess(1, 2, true)).asJava());
        assertEquals(List.of(new DeviceIssue(1, 2, false)), StepRewrites.simpler(new DeviceIssue(1, 2, true)).asJava());
        assertTrue(StepRewrites.simpler(new CpuAccess(1, 2, false)).isEmpty() && StepRewrites.simpler(new VcpuAccess(0, 0, true)).isEmpty());
        assertTrue(StepRewrites.complexity(new CpuAccess(0, 0, false)) < StepRewrites.complexity(new CpuAccess(0, 0, true)));
        assertTrue(StepRewrites.complexity(new DeviceIssue(0, 0, false)) < StepRewrites.complexity(new DeviceIssue(0, 0, true)));
        assertEquals(0, StepRewrites.complexity(new CpuFill(0, 0)));
        assertEquals(3, StepRewrites.complexity(new CpuFill(1, 2)), "the sum of the indices");
        assertEquals(2, StepRewrites.complexity(new DeviceIssue(1, 0, true)), "the device's index, and the write");
        assertEquals(1, StepRewrites.complexity(new DeviceAccess(1)));
        assertEquals(2, StepRewrites.complexity(new Start(1, "unmap", 1, 2, false)));
    }
}
