package tlbcheck.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vavr.collection.Array;
import java.util.List;
import org.junit.jupiter.api.Test;
import tlbcheck.model.invariant.SecondaryMirrorsCpuFlush;
import tlbcheck.model.invariant.Violation;
import tlbcheck.model.step.Advance;
import tlbcheck.model.step.Start;
import tlbcheck.model.step.Step;

/** Seed 000: invalidate_range_end floods the SMMU with invalidations of ranges zap found pte_none. */
class FloodCountTest {

    /** CPU flushes and secondary invalidations of each procedure, in completion order. */
    private static Array<String> counts(Variant v, Step... steps) {
        Model model = new Model(v);
        State s = model.initial();
        Array<String> out = Array.empty();
        for (Step step : steps) {
            Transition t = model.fire(s, step);
            if (t.completed().isDefined()) {
                out = out.append(t.completed().get().flushes() + "/" + t.completed().get().secondary());
            }
            s = t.after();
        }
        return out;
    }

    /** munmap of page 0 twice: the second finds pte_none. */
    private static Step[] unmapTwice(Variant v) {
        Model model = new Model(v);
        // A silent op runs within the step before it, so the procedure takes one Advance per other op.
        int len = model.kernel().find("unmap").get().ops().count(op -> !op.silent());
        List<Step> steps = new java.util.ArrayList<>();
        for (int round = 0; round < 2; round++) {
            steps.add(new Start(0, "unmap", 0, false));
            for (int i = 0; i < len; i++) {
                steps.add(new Advance(0));
            }
        }
        return steps.toArray(Step[]::new);
    }

    @Test
    void v1FloodsAndBroadens() {
        // mmu_gather and range_end both invalidate a present page; range_end alone invalidates the empty one.
        assertEquals(Array.of("1/2", "0/1"), counts(Variants.V1, unmapTwice(Variants.V1)));
    }

    @Test
    void v6StillFloodsFromRangeEnd() {
        assertEquals(Array.of("1/2", "0/1"), counts(Variants.V6, unmapTwice(Variants.V6)));
    }

    @Test
    void v5MirrorsOneToOne() {
        assertEquals(Array.of("1/1", "0/0"), counts(Variants.V5, unmapTwice(Variants.V5)));
        Model model = new Model(Variants.V5);
        assertTrue(Replay.run(model, Array.of(unmapTwice(Variants.V5)), List.of(SecondaryMirrorsCpuFlush.INSTANCE))
                .violation().isEmpty());
    }

    @Test
    void theFloodIsReportedAsSuch() {
        // write-protecting a page that is already read-only changes no PTE, so no CPU flush is owed.
        for (Variant v : Array.of(Variants.V1, Variants.V6)) {
            Model model = new Model(v);
            List<Step> steps = new java.util.ArrayList<>();
            steps.add(new Start(0, "write_protect", 0, false));
            for (int i = 0; i < model.kernel().find("write_protect").get().length(); i++) {
                steps.add(new Advance(0));
            }
            Violation flood = Replay.run(model, steps, List.of(SecondaryMirrorsCpuFlush.INSTANCE)).violation().get();
            assertEquals(7, flood.number());
            assertTrue(flood.explanation().contains("without any CPU flush"), flood.explanation());
        }
        Scenario v5 = new Scenario(Variants.V5).then(new Start(0, "write_protect", 0, false)).finish(0);
        assertTrue(v5.violationOf(SecondaryMirrorsCpuFlush.INSTANCE).isEmpty());
    }
}
