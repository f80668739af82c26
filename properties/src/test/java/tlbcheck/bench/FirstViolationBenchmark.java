package tlbcheck.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import tlbcheck.hunt.Hunt;
import tlbcheck.hunt.HuntConfig;
import tlbcheck.hunt.HuntResult;
import tlbcheck.model.Model;
import tlbcheck.model.Variants;
import tlbcheck.model.invariant.Invariants;

/**
 * Time from property start to the first violation, one seed per measured iteration (20 seeds), for
 * every violating row of V1-V13. JMH's p50 of the single-shot times is the median the hunt issue asks for.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 20)
@Fork(1)
public class FirstViolationBenchmark {

    @Param({"V1/1", "V1/4", "V1/7", "V2/7", "V3/7", "V4/1", "V4/7", "V6/7", "V7/6", "V7/3", "V11/2", "V13/5"})
    public String row;

    private Model model;
    private tlbcheck.model.invariant.Invariant invariant;
    private long seed = 1000;

    @Setup(Level.Trial)
    public void setUp() {
        String[] parts = row.split("/");
        model = new Model(Variants.byName(parts[0]));
        invariant = Invariants.byName(parts[1]);
    }

    @Setup(Level.Iteration)
    public void nextSeed() {
        seed++;
    }

    @Benchmark
    public HuntResult firstViolation() {
        HuntResult r = Hunt.search(model, invariant, new HuntConfig(seed, 1_000_000, 200, 30, 10, true, 0));
        if (!r.violated()) throw new IllegalStateException(row + " seed " + seed + ": no violation within 30 s");
        return r;
    }
}
