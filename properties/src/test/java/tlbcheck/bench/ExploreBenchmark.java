package tlbcheck.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import tlbcheck.explore.ExploreResult;
import tlbcheck.explore.Explorer;
import tlbcheck.model.Model;
import tlbcheck.model.Variants;
import tlbcheck.model.invariant.Invariants;

/**
 * Exhaustive search of a holding variant: distinct states per second, bytes per stored state and the
 * fingerprint collision odds, printed after each exploration. One exploration is one operation. With
 * {@code -p symmetry=ALL,CPUS,NONE} the searches run in turn, and each after the first prints the reduction
 * factor of every reduction over it (states over reduced states; meaningful when both searches are complete).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx20g"})
public class ExploreBenchmark {

    /** The reviewer's question: 2 CPUs, 1 SMMU, 2 pages, 3 frames. */
    @Param({"2,1,2,3"})
    public String scope;

    @Param({"V5"})
    public String variant;

    @Param({"200000000"})
    public long maxStates;

    @Param({"2"})
    public int threads;

    @Param({"ALL"})
    public tlbcheck.explore.Symmetry symmetry;

    /** States of the last exploration of each (variant, scope, symmetry), for the reduction factor. */
    private static final java.util.Map<String, ExploreResult> LAST = new java.util.concurrent.ConcurrentHashMap<>();

    @Benchmark
    public ExploreResult explore() {
        Model model = new Model(Variants.byName(variant), tlbcheck.model.Scope.parse(scope));
        ExploreResult r = Explorer.explore(model, Invariants.all().get(0),
                Explorer.Config.defaults().withMaxStates(maxStates).withThreads(threads).withProgress(30)
                        .withSymmetry(symmetry), System.out::println);
        System.out.printf("%n%s %s (symmetry %s): %s in %.1fs: %.0f states/s, %.1f bytes/state, collision odds %.2e%n",
                variant, scope, symmetry, r.verdict(), r.seconds(), r.statesPerSecond(), r.bytesPerState(),
                r.collisionOdds());
        LAST.put(variant + scope + symmetry, r);
        for (tlbcheck.explore.Symmetry more : tlbcheck.explore.Symmetry.values()) {
            ExploreResult reduced = LAST.get(variant + scope + more);
            if (more.compareTo(symmetry) <= 0 || reduced == null) continue;
            System.out.printf("%s %s: reduction factor of symmetry %s over %s: %.2f (%d states against %d; %s)%n", variant,
                    scope, more, symmetry, (double) r.states() / reduced.states(), r.states(), reduced.states(),
                    reduced.complete() && r.complete() ? "both complete" : "not both complete: a lower bound at best");
        }
        return r;
    }
}
