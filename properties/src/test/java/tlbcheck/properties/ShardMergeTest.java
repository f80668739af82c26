package tlbcheck.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tlbcheck.cli.Main;
import tlbcheck.hunt.Hunt;
import tlbcheck.hunt.HuntConfig;
import tlbcheck.hunt.HuntResult;
import tlbcheck.model.Model;
import tlbcheck.model.Variant;
import tlbcheck.model.Variants;
import tlbcheck.model.invariant.Invariant;
import tlbcheck.model.invariant.NoStaleSecondaryTlb;
import tlbcheck.model.invariant.SecondaryMirrorsCpuFlush;
import tlbcheck.report.VerdictMatrix;
import tlbcheck.report.VerdictMerge;
import tlbcheck.report.VerdictRow;

/** Two shards and `merge` give the verdicts of one unsharded run over the same seeds. */
class ShardMergeTest {

    private static final List<Variant> VARIANTS = List.of(Variants.V1, Variants.V5);
    private static final List<Invariant> RULES = List.of(NoStaleSecondaryTlb.INSTANCE, SecondaryMirrorsCpuFlush.INSTANCE);

    private static VerdictMatrix run(int shard, int shards) {
        VerdictMatrix m = new VerdictMatrix();
        for (Variant v : VARIANTS) {
            for (Invariant i : RULES) {
                HuntConfig config = HuntConfig.quick(42).withTries(300).withShard(shard, shards);
                HuntResult r = Hunt.run(new Model(v), i, config);
                m.add(VerdictMatrix.row(r, null));
            }
        }
        return m;
    }

    @Test
    void twoShardsMergedAreOneRun(@TempDir Path dir) {
        VerdictMatrix whole = run(0, 1);
        run(0, 2).write(dir.resolve("shard1"));
        run(1, 2).write(dir.resolve("shard2"));
        assertEquals(0, Main.run("merge", dir.resolve("shard1/verdicts.json").toString(),
                dir.resolve("shard2/verdicts.json").toString(), "--out", dir.resolve("merged").toString()));
        List<VerdictRow> merged = VerdictMerge.merge(List.of(dir.resolve("merged/verdicts.json"))).rows();
        assertEquals(whole.rows().size(), merged.size());
        for (int k = 0; k < merged.size(); k++) {
            VerdictRow one = whole.rows().get(k);
            VerdictRow two = merged.get(k);
            assertEquals(one.variant() + one.invariant(), two.variant() + two.invariant());
            assertEquals(one.observed(), two.observed(), one.variant() + " / " + one.invariant());
            if ("holds".equals(one.observed())) {
                // The same walks, split between the shards.
                assertEquals(one.tries(), two.tries());
                assertEquals(one.steps(), two.steps());
                assertEquals(one.racyRuns(), two.racyRuns());
            } else {
                // The earliest violating try is found by the shard that owns it, with the same seed.
                assertEquals(one.firstViolationTry(), two.firstViolationTry());
                assertEquals(one.seed(), two.seed());
            }
        }
    }
}
