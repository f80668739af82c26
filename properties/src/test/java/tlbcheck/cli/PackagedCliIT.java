package tlbcheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line as 'mvn package' ships it: the jar on its own (no Maven, no class path) and the
 * launcher script, run from the top of the checkout.
 */
class PackagedCliIT {

    static final Path JAR = Path.of(System.getProperty("tlbcheck.jar", "properties/target/tlbcheck.jar"));
    static final Path LAUNCHER = Path.of(System.getProperty("tlbcheck.launcher", "tlbcheck"));
    static final String V11 = "counterexamples/V11-s2-bbm2-nsh--2-no-stale-access-after-restriction.yaml";

    record Run(int exit, String out, String err) {}

    static Run run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        return new Run(p.waitFor(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    static Run jar(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString()));
        command.addAll(List.of(args));
        return run(command);
    }

    @Test
    void theJarRunsEveryCommandWithItsExitCodes(@TempDir Path dir) throws Exception {
        assertTrue(Files.isRegularFile(JAR), JAR + " is what mvn package builds");
        Run help = jar("--help");
        assertEquals(0, help.exit(), help.err());
        assertTrue(help.out().contains("merge"), help.out());
        for (String command : List.of("replay", "explain", "render", "shortest", "merge")) {
            Run r = jar(command, "--help");
            assertEquals(0, r.exit(), command + ": " + r.err());
            assertTrue(r.out().startsWith("Usage: tlbcheck " + command), r.out());
        }
        Run replay = jar("replay", V11);
        assertEquals(0, replay.exit(), replay.err());
        assertTrue(replay.out().contains("holds under fixed-by V12"), replay.out());
        assertTrue(jar("render", V11).out().contains("sequenceDiagram"));

        Run missing = jar("explain", "counterexamples/nowhere.yaml");
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("counterexamples/nowhere.yaml: no such file"), missing.err());
        Path binary = dir.resolve("x.yaml");
        Files.write(binary, new byte[] {(byte) 0xFF, (byte) 0xFE, 0, 0, (byte) 0x80});
        Run notText = jar("render", binary.toString());
        assertEquals(2, notText.exit());
        assertTrue(notText.err().contains("not UTF-8 text"), notText.err());
        assertEquals(2, jar("replay").exit(), "a missing FILE is a usage error");
    }

    /** Both of the launcher's ways to start the JVM: quick start for a replay, the optimising compiler for a search. */
    @Test
    void theLauncherRunsTheJar(@TempDir Path dir) throws Exception {
        Run r = run(List.of("sh", LAUNCHER.toString(), "replay", V11));
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("as archived"), r.out());
        Run search = run(List.of("sh", LAUNCHER.toString(), "shortest", "V11", "2", "--out", dir.toString()));
        assertEquals(0, search.exit(), search.err());
        assertTrue(search.out().contains("violates: shortest counterexample"), search.out());
    }
}
