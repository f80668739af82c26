package tlbcheck.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input gets a clear error naming the file, the line and the fix; nothing is skipped silently. */
class BadArchiveFileTest {

    @TempDir Path dir;
    String good;

    @BeforeEach
    void readGoodFile() throws IOException {
        good = Files.readString(ArchiveReplayTest.archive().resolve("V1-linux-6.4-noBTM--1-no-stale-secondary-tlb.yaml"));
    }

    private ArchiveException failure(String text) throws IOException {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, text);
        ArchiveException e = assertThrows(ArchiveException.class, () -> {
            CounterexampleFile.Loaded l = CounterexampleFile.read(file);
            CounterexampleFile.reproduce(l);
        });
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("fix: "), e.getMessage());
        return e;
    }

    private int lineOf(String text, String needle) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(needle)) return i + 1;
        }
        throw new AssertionError(needle + " not in the file");
    }

    @Test
    void truncatedFile() throws IOException {
        String cut = good.substring(0, good.indexOf("- {step: Advance") + 12);
        ArchiveException e = failure(cut);
        assertTrue(e.line() > 0, e.getMessage());
    }

    @Test
    void fileCutBeforeItsSteps() throws IOException {
        ArchiveException e = failure(good.substring(0, good.indexOf("steps:")));
        assertTrue(e.getMessage().contains("'steps' is missing"), e.getMessage());
    }

    @Test
    void wrongType() throws IOException {
        String text = good.replace("{step: SmmuFill, smmu: 0, page: 0}", "{step: SmmuFill, smmu: zero, page: 0}");
        ArchiveException e = failure(text);
        assertEquals(lineOf(text, "smmu: zero"), e.line(), e.getMessage());
        assertTrue(e.getMessage().contains("steps[3].smmu"), e.getMessage());
    }

    @Test
    void unknownStep() throws IOException {
        String text = good.replace("{step: SmmuFill, smmu: 0, page: 0}", "{step: SmmuPrefetch, smmu: 0, page: 0}");
        ArchiveException e = failure(text);
        assertEquals(lineOf(text, "SmmuPrefetch"), e.line(), e.getMessage());
        assertTrue(e.getMessage().contains("SmmuPrefetch"), e.getMessage());
    }

    @Test
    void stepNotEnabledAtItsPosition() throws IOException {
        // The SMMU fill moved after the upgrade would cache the new PTE; moved first it is fine; so drop the Start.
        String text = good.replaceFirst("- \\{step: Start[^\\n]*\\n", "");
        ArchiveException e = failure(text);
        assertEquals(lineOf(text, "steps:") + 1, e.line(), e.getMessage());
        assertTrue(e.getMessage().contains("step 1 Advance(cpu=0) is not enabled"), e.getMessage());
        assertTrue(e.getMessage().contains("CPU0 is not in a procedure"), e.getMessage());
        assertTrue(e.getMessage().contains("'tlbcheck rearchive "), "the fix names the command: " + e.getMessage());
    }

    @Test
    void anIndexEditedOutOfTheScopeSaysSo() throws IOException {
        String text = good.replace("{step: SmmuFill, smmu: 0, page: 0}", "{step: SmmuFill, smmu: 0, page: 5}");
        ArchiveException e = failure(text);
        assertEquals(lineOf(text, "page: 5"), e.line(), e.getMessage());
        assertTrue(e.getMessage().contains("page 5 is not in the scope"), e.getMessage());
        assertTrue(e.getMessage().contains("fix the index on this line, or the 'scope' line"), e.getMessage());
        assertTrue(!e.getMessage().contains("the model or the variant changed"), e.getMessage());
    }

    @Test
    void futureFormatVersion() throws IOException {
        ArchiveException e = failure(good.replace("tlbcheck: 1", "tlbcheck: 2"));
        assertEquals(2, e.line(), e.getMessage());
        assertTrue(e.getMessage().contains("newer than this tlbcheck reads"), e.getMessage());
    }

    @Test
    void unknownVariant() throws IOException {
        String text = good.replace("variant: V1-linux-6.4-noBTM", "variant: V99-nonesuch");
        ArchiveException e = failure(text);
        assertEquals(lineOf(text, "variant: V99"), e.line(), e.getMessage());
        assertTrue(e.getMessage().contains("unknown variant 'V99-nonesuch'"), e.getMessage());
    }

    @Test
    void noLongerReproduces() throws IOException {
        String text = good.replace("variant: V1-linux-6.4-noBTM", "variant: V5");
        ArchiveException e = failure(text);
        assertTrue(e.getMessage().contains("is not enabled") || e.getMessage().contains("no longer reproduces"),
                e.getMessage());
        assertTrue(e.getMessage().contains("'tlbcheck rearchive "), "the fix names the command: " + e.getMessage());
    }

    @Test
    void aFixedByThatDoesNotFix() throws IOException {
        Path file = dir.resolve("v1.yaml");
        Files.writeString(file, good.replace("- V3\n", "- V4\n"));
        CounterexampleFile.Loaded l = CounterexampleFile.read(file);
        ArchiveException e = assertThrows(ArchiveException.class,
                () -> CounterexampleFile.checkFixedBy(l, tlbcheck.model.Variants.V4));
        assertTrue(e.getMessage().contains("fixed-by V4-smmu-inv-on-fault does not fix it"), e.getMessage());
        assertEquals(lineOf(good, "fixed-by:"), e.line());
    }

    @Test
    void writeThenReadGivesTheSameCounterexample() throws IOException {
        CounterexampleFile.Loaded l = CounterexampleFile.read(
                ArchiveReplayTest.archive().resolve("V1-linux-6.4-noBTM--4-forward-progress.yaml"));
        Path written = CounterexampleFile.write(dir, l.counterexample());
        assertEquals(l.counterexample(), CounterexampleFile.read(written).counterexample());
    }
}
