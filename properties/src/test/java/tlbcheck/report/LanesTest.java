package tlbcheck.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vavr.collection.Array;
import org.junit.jupiter.api.Test;
import tlbcheck.model.Model;
import tlbcheck.model.Scope;
import tlbcheck.model.Variants;
import tlbcheck.model.kernel.FlushTlbPage;
import tlbcheck.model.kernel.Kernel;
import tlbcheck.model.kernel.Procedure;
import tlbcheck.model.kernel.PtlLock;
import tlbcheck.model.kernel.PtlUnlock;
import tlbcheck.model.kernel.SetPteWritable;
import tlbcheck.model.kernel.Trigger;
import tlbcheck.model.step.Advance;
import tlbcheck.model.step.Start;
import tlbcheck.model.step.Step;

/** The lanes of a trace whose texts are too long for their row: cut between two words, the whole text in a note. */
class LanesTest {

    @Test
    void aLongTextIsCutBetweenWordsAndNotedInFull() {
        Procedure p = Procedure.of("upgrade", Trigger.PTE_READ_ONLY, PtlLock.INSTANCE, SetPteWritable.INSTANCE,
                FlushTlbPage.broadcast("move_page_tables: flush_tlb_range(old_addr, old_end) after dropping every lock"),
                PtlUnlock.INSTANCE);
        Model model = new Model(Variants.V5.withKernel("long", "long names", Kernel.of("long", p)), Scope.of(3, 0, 1, 2));
        Array<Step> steps = Array.of(new Start(2, "upgrade", 0, true), new Advance(2), new Advance(2), new Advance(2),
                new Advance(2));
        String lanes = Lanes.render(model, steps);
        String[] lines = lanes.split("\n");
        String cut = java.util.Arrays.stream(lines).filter(l -> l.contains("~[1]")).findFirst().orElseThrow();
        assertTrue(cut.length() <= Lanes.WIDTH, cut);
        String shown = cut.substring(cut.indexOf("upgrade: "), cut.indexOf("~[1]"));
        String note = lanes.substring(lanes.indexOf("[1] ") + 4).replaceAll("\\s+", " ");
        assertTrue(note.startsWith(shown + " "), "the row shows whole words of the note: '" + shown + "' of '" + note + "'");
        assertTrue(cut.matches("  4 \\. +\\. +upgrade: move_page_tables:~\\[1]"), cut);
        assertTrue(lines[2].matches("  2 \\. +\\. +upgrade: pte_offset_map_lock"), "'.': not in a procedure\n" + lanes);
    }

    /** A text that runs into the next lane leaves no marker after it, which a reader would take for that lane's. */
    @Test
    void aTextIntoTheNextLaneHidesTheMarkersAfterIt() {
        Procedure p = Procedure.of("try_to_unmap_one", Trigger.PTE_VALID, PtlLock.INSTANCE,
                FlushTlbPage.broadcast("flush_tlb_page"), PtlUnlock.INSTANCE);
        Model model = new Model(Variants.V5.withKernel("long", "long names", Kernel.of("long", p)), Scope.of(3, 0, 1, 2));
        String[] lines = Lanes.render(model, Array.of(new Start(0, "try_to_unmap_one", 0, false), new Advance(0)))
                .split("\n");
        assertTrue(lines[1].matches("  1 try_to_unmap_one\\(p0\\)"), lines[1]);
        assertTrue(lines[2].matches("  2 try_to_unmap_one: pte_offset_map_lock"), lines[2]);
    }
}
