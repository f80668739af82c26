package tlbcheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line on archived files: exit codes and what a reader sees. */
class MainTest {

    static final String V11 = "../counterexamples/V11-s2-bbm2-nsh--2-no-stale-access-after-restriction.yaml";

    private static String run(int expectedExit, String... args) {
        PrintStream out = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true));
        try {
            assertEquals(expectedExit, Main.run(args), String.join(" ", args));
        } finally {
            System.setOut(out);
        }
        return buffer.toString();
    }

    @Test
    void replayExplainRender() {
        assertTrue(run(0, "replay", V11).contains("holds under fixed-by V12"));
        String explain = run(0, "explain", V11);
        assertTrue(explain.contains("stage 2 g0: f0/RW -> f0/RO"), explain);
        assertTrue(explain.contains("CPU1 vTLB g0: - -> f0/RW"), explain);
        assertTrue(run(0, "render", V11).contains("sequenceDiagram"));
        assertTrue(run(0, "render", "--format", "lanes", V11).contains("__kvm_tlb_flush_vmid_ipa_nsh"));
    }

    @Test
    void badInputExitsWithTwo(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, Files.readString(Path.of(V11)).replace("tlbcheck: 1", "tlbcheck: 9"));
        run(2, "replay", bad.toString());
        run(2, "render", "--format", "svg", V11);
        run(2, "shortest", "V99", "1");
    }
}
