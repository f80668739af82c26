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
 * fingerprint collision odds, printed after each exploration. One exploration is one operation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx20g"})
public class ExploreBenchmark {

    @Param({"2,1,1,2"})
    public String scope;

    @Param({"V5"})
    public String variant;

    @Param({"200000000"})
    public long maxStates;

    @Param({"2"})
    public int threads;

    @Benchmark
    public ExploreResult explore() {
        Model model = new Model(Variants.byName(variant), tlbcheck.model.Scope.parse(scope));
        ExploreResult r = Explorer.explore(model, Invariants.all().get(0),
                Explorer.Config.defaults().withMaxStates(maxStates).withThreads(threads).withProgress(30), System.out::println);
        System.out.printf("%n%s %s: %s in %.1fs: %.0f states/s, %.1f bytes/state, collision odds %.2e%n",
                variant, scope, r.verdict(), r.seconds(), r.statesPerSecond(), r.bytesPerState(), r.collisionOdds());
        return r;
    }
}
