package tlbcheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tlbcheck.hunt.Hunt;
import tlbcheck.hunt.HuntConfig;
import tlbcheck.model.Model;
import tlbcheck.model.Variant;
import tlbcheck.model.Variants;
import tlbcheck.model.invariant.Invariant;
import tlbcheck.model.invariant.Invariants;
import tlbcheck.report.VerdictMatrix;
import tlbcheck.report.VerdictRow;

/** {@code merge} on shard directories: the whole report back, and refusals of a set that is not every shard once. */
class MergeTest {

    static VerdictRow row(String variant, int invariant, String expected, int shard, int shards) {
        Variant v = Variants.byName(variant);
        Invariant inv = Invariants.all().find(i -> i.number() == invariant).get();
        HuntConfig config = new HuntConfig(44, 100, 160, 600, 60, true, 0).withShard(shard - 1, shards);
        Model model = new Model(v, v.scope());
        return VerdictMatrix.row(Hunt.run(model, inv, config, line -> {}, Hunt.shrinkerOnly(model, inv, config)), expected)
                .withShard(config.shardLabel());
    }

    @Test
    void shardDirectoriesMergeIntoOneReportWithExhaustiveRowsAndPictures(@TempDir Path dir) throws Exception {
        for (int k = 1; k <= 2; k++) {
            VerdictMatrix m = new VerdictMatrix();
            m.add(row("V1", 4, "violates", k, 2));
            m.add(row("V5", 4, "holds", k, 2));
            Map<String, Object> ex = new LinkedHashMap<>();
            ex.put("variant", "V5-arch-invalidate-secondary-tlbs");
            ex.put("row", "V5");
            ex.put("invariant", "forward-progress");
            ex.put("invariantNo", 4);
            ex.put("expected", "holds");
            ex.put("observed", "holds");
            List<Map<String, Object>> exhaustive = k == 1 ? List.of(ex) : List.of();
            m.write(dir.resolve("shard-" + k), exhaustive);
            VerdictMatrix.writeExhaustive(dir.resolve("shard-" + k), exhaustive);
        }
        Path out = dir.resolve("merged");
        String said = run(0, System.out, "merge", "--out", out.toString(), dir.resolve("shard-1").toString(),
                dir.resolve("shard-2").toString());
        assertTrue(said.contains("2 rows, 1 violating, 0 not as expected"), said);
        String md = Files.readString(out.resolve("verdicts.md"));
        assertTrue(md.contains("**2 rows hunted: 2 as expected, 0 not.**"), md);
        assertTrue(md.contains("(shard 1..2/2)"), md);
        assertTrue(md.contains("## Exhaustive search"), md);
        assertTrue(md.contains("```mermaid"), md);
        assertTrue(Files.readString(out.resolve("exhaustive.json")).contains("forward-progress"));
    }

    @Test
    void aSeedAShardPrintsRerunsOnOneMachine() {
        // Seed 44: the whole hunt's first violation of V1's forward progress is try 8, which shard 2 of 2 owns.
        Variant v = Variants.byName("V1");
        Invariant inv = Invariants.all().find(i -> i.number() == 4).get();
        HuntConfig shard = new HuntConfig(44, 100, 160, 600, 60, true, 0).withShard(1, 2);
        Model model = new Model(v, v.scope());
        tlbcheck.hunt.HuntResult found = Hunt.run(model, inv, shard, line -> {}, Hunt.shrinkerOnly(model, inv, shard));
        assertTrue(found.violated());
        assertTrue(found.firstViolationTry() > 1, "try " + found.firstViolationTry());
        HuntConfig one = new HuntConfig(found.seed(), 1, 160, 600, 60, true, 0);
        tlbcheck.hunt.HuntResult rerun = Hunt.run(model, inv, one, line -> {}, Hunt.shrinkerOnly(model, inv, one));
        assertTrue(rerun.violated(), "the printed seed is the failing walk's own: try 1 on one machine");
        assertEquals(found.walk(), rerun.walk());
        assertEquals(found.shrunk().get().steps(), rerun.shrunk().get().steps());
    }

    @Test
    void refusesAShardMissingOrGivenTwiceAndBadFiles(@TempDir Path dir) throws Exception {
        Path one = dir.resolve("one");
        VerdictMatrix half = new VerdictMatrix();
        half.add(row("V5", 1, "holds", 1, 2));
        half.write(one);
        String err = run(2, System.err, "merge", "--out", dir.resolve("m").toString(), one.toString());
        assertTrue(err.contains("shard [2] of 2 missing"), err);
        err = run(2, System.err, "merge", "--out", dir.resolve("m").toString(), one.toString(), one.toString());
        assertTrue(err.contains("shard 1/2 given twice"), err);
        err = run(2, System.err, "merge", dir.resolve("nowhere.json").toString());
        assertTrue(err.contains("no such file"), err);
        Path notJson = dir.resolve("bad.json");
        Files.writeString(notJson, "rows: [");
        err = run(2, System.err, "merge", notJson.toString());
        assertTrue(err.contains("not a verdicts.json"), err);
        assertTrue(run(0, System.out, "merge", "--help").contains("Exit 0 when every row is as expected"));
    }

    /** Runs the command line, returning what it wrote to {@code stream} (System.out or System.err). */
    private static String run(int expectedExit, PrintStream stream, String... args) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(buffer, true);
        boolean out = stream == System.out;
        if (out) System.setOut(capture); else System.setErr(capture);
        try {
            assertEquals(expectedExit, Main.run(args), String.join(" ", args));
        } finally {
            if (out) System.setOut(stream); else System.setErr(stream);
        }
        return buffer.toString();
    }
}
