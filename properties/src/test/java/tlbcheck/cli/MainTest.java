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

    private static String runErr(int expectedExit, String... args) {
        PrintStream err = System.err;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buffer, true));
        try {
            assertEquals(expectedExit, Main.run(args), String.join(" ", args));
        } finally {
            System.setErr(err);
        }
        return buffer.toString();
    }

    /** explain shows every lock and count a step changes: the rmap lock, tlb_flush_pending, beside the PTL and mmap lock. */
    @Test
    void explainShowsTheLocksAndCountsAStepChanges() {
        String explain = run(0, "explain", "../counterexamples/mremap-flush-after-ptl-drop--3-no-use-after-free.yaml");
        assertTrue(explain.contains("rmap lock (i_mmap / anon_vma): held for read by 1"), explain);
        assertTrue(explain.contains("rmap lock (i_mmap / anon_vma): free"), explain);
        // The copy a copy-on-write makes, which invariant 9 counts a later write against.
        String cow = run(0, "explain", "../counterexamples/uffd-wp-deferred-flush--9-no-lost-write.yaml");
        assertTrue(cow.contains("CPU1 cow: new page f1, the copy of f0"), cow);
        assertTrue(explain.contains("tlb_flush_pending: 0 -> 1") && explain.contains("tlb_flush_pending: 1 -> 0"), explain);
        assertTrue(explain.contains("PTL p1: taken"), explain);
    }

    @Test
    void everyCommandHasHelp() {
        assertTrue(run(0, "--help").contains("Exit codes:"));
        for (String command : new String[] {"replay", "explain", "render", "shortest", "merge"}) {
            String help = run(0, command, "--help");
            assertTrue(help.startsWith("Usage: tlbcheck " + command), help);
        }
    }

    @Test
    void aMissingFileAndABinaryFileSaySo(@TempDir Path dir) throws Exception {
        for (String command : new String[] {"replay", "explain", "render"}) {
            String err = runErr(2, command, dir.resolve("nowhere.yaml").toString());
            assertTrue(err.contains("nowhere.yaml: no such file"), err);
        }
        Path binary = dir.resolve("a.yaml");
        Files.write(binary, new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0, 0, 61, (byte) 0xFF});
        assertTrue(runErr(2, "replay", binary.toString()).contains("a.yaml: not UTF-8 text"));
        Path nul = dir.resolve("b.yaml");
        Files.write(nul, new byte[] {'t', 'l', 'b', 0, 1, 2});
        assertTrue(runErr(2, "explain", nul.toString()).contains("b.yaml: not UTF-8 text"));
        assertTrue(runErr(2, "render", dir.toString()).contains("a directory, not a file"));
        assertTrue(runErr(2, "replay", "--no-such-option", V11).contains("Unknown option"));
    }

    /**
     * A file whose steps do not apply (here relabelled with the fix's variant) is refused by explain and render with
     * the file, the line of the step and the fix, before either prints anything.
     */
    @Test
    void aStepThatDoesNotApplyIsNamedByItsLine(@TempDir Path dir) throws Exception {
        String text = Files.readString(Path.of("../counterexamples/reclaim-pageout-before-flush--9-no-lost-write.yaml"))
                .replace("variant: reclaim-pageout-before-flush", "variant: reclaim-flush-dirty-before-pageout");
        Path edited = dir.resolve("edited.yaml");
        Files.writeString(edited, text);
        int line = 1 + (int) text.lines().takeWhile(l -> !l.startsWith("- {step: CpuAccess")).count();
        for (String command : new String[] {"explain", "render"}) {
            String err = runErr(2, command, edited.toString());
            assertTrue(err.startsWith("error: " + edited + ":" + line + ": step 10 CpuAccess(cpu=1, page=0, write=true) is"
                    + " not enabled under reclaim-flush-dirty-before-pageout: the write would fault; start map instead"), err);
            assertTrue(err.contains("\n  fix: the model or the variant changed since this was archived"), err);
        }
    }

    @Test
    void badInputExitsWithTwo(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, Files.readString(Path.of(V11)).replace("tlbcheck: 1", "tlbcheck: 9"));
        String newer = runErr(2, "replay", bad.toString());
        assertTrue(newer.contains("bad.yaml:2: format version 9 is newer"), newer);
        String format = runErr(2, "render", "--format", "svg", V11);
        assertTrue(format.contains("--format must be mermaid or lanes, not 'svg'"), format);
        String variant = runErr(2, "shortest", "V99", "1");
        assertTrue(variant.contains("unknown variant 'V99'"), variant);
    }

    /** shortest says whether it wrote a new file, found the same one there, or replaced another counterexample. */
    @Test
    void shortestSaysWhatItDidToTheFile(@TempDir Path dir) throws Exception {
        String[] args = {"shortest", "V4", "1", "--out", dir.toString()};
        assertTrue(run(0, args).contains("wrote " + dir), "first");
        assertTrue(run(0, args).contains("unchanged: " + dir), "the same trace again");
        Path file;
        try (var files = Files.list(dir)) {
            file = files.findFirst().orElseThrow();
        }
        Files.writeString(file, Files.readString(file).replace("seed: '-'", "seed: '1'"));
        String replaced = run(0, args);
        assertTrue(replaced.contains("replaced " + file + " (it held another counterexample"), replaced);
    }

    /**
     * After a change to the model, a file whose steps no longer reproduce is replaced in place by a shortest
     * counterexample of the same variant, invariant, scope and fixed-by; one that still reproduces is left alone.
     */
    @Test
    void rearchiveReplacesOnlyWhatNoLongerReproduces(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        java.nio.file.Path kept = dir.resolve("kept.yaml");
        java.nio.file.Files.copy(java.nio.file.Path.of(V11), kept);
        java.nio.file.Path stale = dir.resolve("stale.yaml");
        String text = java.nio.file.Files.readString(java.nio.file.Path.of(V11));
        // The last step gone: the rest runs without the violation, as after a model change that adds a step.
        java.nio.file.Files.writeString(stale, text.substring(0, text.stripTrailing().lastIndexOf("\n- {step:") + 1));
        String out = run(0, "rearchive", kept.toString(), stale.toString());
        assertTrue(out.contains(kept + ": still reproduces, kept"), out);
        assertTrue(out.contains("no longer reproduces"), out);
        assertTrue(out.contains("replaced " + stale + ": shortest counterexample "), out);
        assertEquals(text, java.nio.file.Files.readString(kept));
        assertTrue(run(0, "replay", stale.toString()).contains("holds under fixed-by V12"));
    }
}
