package tlbcheck.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vavr.collection.Array;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tlbcheck.model.Model;
import tlbcheck.model.State;
import tlbcheck.model.Variants;
import tlbcheck.model.invariant.Violation;
import tlbcheck.model.step.Advance;
import tlbcheck.model.step.Start;
import tlbcheck.model.step.Step;

/** Traces print what happened: a skipped op as skipped, with its reason, and what an invalidation dropped. */
class SkippedOpsTest {

    /** write_protect of a page that is already read-only: the PTE write and the flush are both skipped. */
    private static Array<Step> writeProtectOfReadOnlyPage(Model model) {
        List<Step> steps = new ArrayList<>();
        State s = model.initial();
        Step start = new Start(1, "write_protect", 0, false);
        steps.add(start);
        s = model.fire(s, start).after();
        while (s.running(1).isDefined()) {
            Step advance = new Advance(1);
            steps.add(advance);
            s = model.fire(s, advance).after();
        }
        return Array.ofAll(steps);
    }

    @Test
    void lanesExplainAndMermaidPrintTheSkippedFlushAsSkipped() {
        Model model = new Model(Variants.V5);
        Array<Step> steps = writeProtectOfReadOnlyPage(model);

        String lanes = Lanes.render(model, steps);
        assertTrue(lanes.contains("skipped set PTE RW->RO (PTE is f0/RO, not writable)"), lanes);
        assertTrue(lanes.contains("skipped __flush_tlb_range (TLBI IS) (this procedure changed no PTE, so it owes no"
                .substring(0, 40)), lanes);
        assertTrue(lanes.replace("\n    ", " ").contains("skipped __flush_tlb_range (TLBI IS) (this procedure changed no PTE,"
                + " so it owes no flush)"), "the note under the lanes gives the whole text:\n" + lanes);
        assertFalse(lanes.lines().filter(l -> l.matches("^ *\\d+ .*"))
                .anyMatch(l -> l.contains("__flush_tlb_range") && !l.contains("skipped")),
                "no step prints the flush as if it ran:\n" + lanes);
        for (String line : lanes.split("\n")) {
            assertTrue(line.length() <= Lanes.WIDTH, "lane line too wide: " + line);
        }

        // explain prints each step's description, as a reviewer reads it.
        State s = model.initial();
        StringBuilder explain = new StringBuilder();
        for (Step step : steps) {
            explain.append(step.describe(model, s)).append('\n');
            s = model.fire(s, step).after();
        }
        assertTrue(explain.toString().contains(
                "write_protect: skipped __flush_tlb_range (TLBI IS) (this procedure changed no PTE, so it owes no flush)"),
                explain.toString());
        assertTrue(explain.toString().contains("skipped __flush_tlb_range->arch_invalidate_secondary_tlbs"),
                explain.toString());

        String mermaid = Mermaid.render(model, steps, new Violation("none", 0, "no violation", ""));
        assertTrue(mermaid.contains("skipped __flush_tlb_range (TLBI IS)"), mermaid);
    }

    @Test
    void aFlushThatRanSaysWhatItDropped() {
        Model model = new Model(Variants.V5);
        List<Step> steps = new ArrayList<>();
        steps.add(new tlbcheck.model.step.CpuFill(1, 0));
        steps.add(new tlbcheck.model.step.SmmuFill(0, 0));
        steps.add(new Start(0, "unmap", 0, false));
        State s = model.initial();
        for (Step step : steps) s = model.fire(s, step).after();
        StringBuilder text = new StringBuilder();
        while (s.running(0).isDefined()) {
            Step advance = new Advance(0);
            text.append(advance.describe(model, s)).append('\n');
            s = model.fire(s, advance).after();
        }
        assertTrue(text.toString().contains("tlb_flush_mmu (TLBI IS) -> CPU1"), text.toString());
        assertTrue(text.toString().contains("arch_invalidate_secondary_tlbs -> SMMU0"), text.toString());
    }
}
