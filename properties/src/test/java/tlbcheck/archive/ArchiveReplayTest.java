package tlbcheck.archive;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import tlbcheck.model.Variants;
import tlbcheck.report.Lanes;

/**
 * Every archived counterexample replays in every build: it must still violate its invariant under
 * its variant, and hold under each fixed-by variant. A file that fails names itself and its line.
 */
class ArchiveReplayTest {

    static Path archive() {
        return Path.of(System.getProperty("tlbcheck.counterexamples", "../counterexamples"));
    }

    static List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(archive())) {
            return s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        }
    }

    @TestFactory
    Stream<DynamicTest> replayEveryArchivedFile() throws IOException {
        return files().stream().map(file -> DynamicTest.dynamicTest("replay " + file.getFileName(), () -> {
            CounterexampleFile.Loaded l = CounterexampleFile.read(file);
            CounterexampleFile.reproduce(l);
            for (String fix : l.counterexample().fixedBy()) {
                CounterexampleFile.checkFixedBy(l, tlbcheck.model.Catalogues.get().variant(fix));
            }
        }));
    }

    @Test
    void everyArchivedFileIsReadableWithoutRunningAnything() throws IOException {
        for (Path file : files()) {
            Counterexample cx = CounterexampleFile.read(file).counterexample();
            for (String line : cx.lanes().split("\n")) {
                assertTrue(line.length() <= Lanes.WIDTH, file + ": lane line wider than " + Lanes.WIDTH + ": " + line);
            }
            assertTrue(cx.violated().startsWith("invariant " + cx.invariantNo()), file + ": 'violated' names another"
                    + " invariant than 'invariantNo' " + cx.invariantNo() + ": " + cx.violated());
            assertFalse(cx.state().isBlank(), file.toString());
        }
    }

    /** The catalogue's violating rows, each with a counterexample in the archive. */
    @Test
    void everyViolatingSeedRowIsArchived() throws IOException {
        List<String> rows = List.of("V1/1", "V1/4", "V1/7", "V2/7", "V3/7", "V4/1", "V4/7", "V6/7", "V7/6", "V11/2", "V13/5");
        for (String row : rows) {
            String[] p = row.split("/");
            boolean found = false;
            for (Path file : files()) {
                Counterexample cx = CounterexampleFile.read(file).counterexample();
                found |= cx.row().equals(p[0]) && cx.invariantNo() == Integer.parseInt(p[1]);
            }
            assertTrue(found, "no archived counterexample for " + row + " in " + archive());
        }
    }
}
