package tlbcheck.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tlbcheck.hunt.Hunt;
import tlbcheck.hunt.HuntConfig;
import tlbcheck.hunt.HuntResult;
import tlbcheck.model.Model;
import tlbcheck.model.Variant;
import tlbcheck.model.Variants;
import tlbcheck.model.invariant.Invariant;
import tlbcheck.model.invariant.Invariants;

/** verdicts.md: the summary first, every violating row's counterexample drawn under the matrix. */
class VerdictMarkdownTest {

    static HuntResult hunt(String variant, int invariant, int tries) {
        Variant v = Variants.byName(variant);
        Invariant inv = Invariants.all().find(i -> i.number() == invariant).get();
        Model model = new Model(v, v.scope());
        HuntConfig config = new HuntConfig(44, tries, 160, 600, 60, true, 0);
        return Hunt.run(model, inv, config, line -> {}, Hunt.shrinkerOnly(model, inv, config));
    }

    @Test
    void summaryThenMatrixThenExhaustiveRowsThenEachViolationAsLanesAndMermaid() {
        VerdictRow violates = VerdictMatrix.row(hunt("V1", 4, 50), "violates");
        VerdictRow weak = VerdictMatrix.row(hunt("V5", 1, 2), "holds");
        VerdictRow wrong = VerdictMatrix.row(hunt("V4", 1, 50), "holds");
        assertTrue(violates.violated() && wrong.violated() && !weak.violated());
        Map<String, Object> exhaustive = new LinkedHashMap<>();
        exhaustive.put("variant", "V5-arch-invalidate-secondary-tlbs");
        exhaustive.put("row", "V5");
        exhaustive.put("invariant", "no-stale-secondary-tlb");
        exhaustive.put("invariantNo", 1);
        exhaustive.put("expected", "holds");
        exhaustive.put("observed", "holds");
        exhaustive.put("states", 160072);

        String md = VerdictMarkdown.render(List.of(violates, weak, wrong), List.of(exhaustive));
        List<String> lines = md.lines().toList();
        assertEquals("# tlbcheck verdicts", lines.get(0));
        assertTrue(lines.get(2).startsWith("**3 rows hunted: 2 as expected, 1 not.** 2 violate, 1 hold"), lines.get(2));
        assertTrue(md.contains("- NOT AS EXPECTED: V4 V4-smmu-inv-on-fault / 1 no-stale-secondary-tlb violates,"
                + " expected holds"), md);
        assertTrue(md.contains("- Weak \"holds\" (fewer than 10 runs reached the racy state): V5 "), md);
        assertTrue(md.indexOf("## Hunt") < md.indexOf("## Exhaustive search") , md);
        assertTrue(md.contains("| V5 | V5-arch-invalidate-secondary-tlbs | 1 no-stale-secondary-tlb | - | holds | 160072"),
                md);

        // Each violating row: a heading the matrix links to, its lanes, its Mermaid diagram; none for a holding row.
        for (VerdictRow r : List.of(violates, wrong)) {
            String heading = "### " + r.row() + " " + r.variant() + " / " + r.invariantNo() + " " + r.invariant();
            int at = md.indexOf(heading);
            assertTrue(at > md.indexOf("## Counterexamples"), heading);
            assertTrue(md.contains("(#" + VerdictMarkdown.anchor(r) + ")"), md);
            int next = md.indexOf("### ", at + 4);
            String section = md.substring(at, next < 0 ? md.length() : next);
            assertTrue(section.contains("```text\n#   CPU0"), section);
            assertTrue(section.contains(r.lanes()), section);
            assertTrue(section.contains("```mermaid\nsequenceDiagram"), section);
            assertTrue(section.contains("VIOLATED"), section);
        }
        assertEquals(2, md.split("```mermaid", -1).length - 1);
    }

    @Test
    void theHuntTableSaysWhetherTheShrunkTraceIsTheShortestInItsOwnScope() {
        VerdictRow searched = VerdictMatrix.row(Hunt.run(new Model(Variants.V1, Variants.V1.scope()),
                Invariants.all().find(i -> i.number() == 1).get(), new HuntConfig(44, 50, 160, 600, 60, true, 0)), "violates");
        VerdictRow unsearched = VerdictMatrix.row(hunt("V1", 4, 50), "violates");
        assertEquals(tlbcheck.hunt.Shortest.NOT_SEARCHED, unsearched.shrunkShortest());
        assertTrue(searched.shrunkShortest().startsWith("shortest ("), searched.shrunkShortest());

        String md = VerdictMarkdown.render(List.of(searched, unsearched.withShortestSteps(99)), List.of());
        assertTrue(md.contains("| shrunk | small-scope shortest |"), md);
        assertTrue(md.contains("| " + searched.shrunkSteps() + " (shortest) | - |"), md);
        assertTrue(md.contains("| " + unsearched.shrunkSteps() + " | 99 |"), md);
        assertTrue(md.contains("shrunk to " + searched.shrunkSteps() + " steps, " + searched.shrunkShortest()
                + " in the hunt's scope; seed"), md);
    }
}
