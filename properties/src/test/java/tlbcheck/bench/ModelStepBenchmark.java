package tlbcheck.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;
import tlbcheck.hunt.Generator;
import tlbcheck.hunt.Hunt;
import tlbcheck.hunt.HuntConfig;
import tlbcheck.model.Model;
import tlbcheck.model.Variants;
import tlbcheck.model.invariant.Invariants;
import tlbcheck.model.step.Step;

/**
 * Model steps per second on a long random walk (choose an enabled step, fire it), and the hunt's
 * own throughput with an invariant and its racy-state predicate checked after every step.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
public class ModelStepBenchmark {

    static final int WALK = 100_000;

    @Param({"V1"})
    public String variant;

    @Param({"2,1,4,5"})
    public String scope;

    private Model model;
    private Generator.Policy policy;
    private SplittableRandom random;
    private tlbcheck.model.State state;

    @Setup(Level.Trial)
    public void setUp() {
        model = new Model(Variants.byName(variant), tlbcheck.model.Scope.parse(scope));
        policy = new Generator(model).everything();
        random = new SplittableRandom(1);
        state = model.initial();
    }

    @Benchmark
    @OperationsPerInvocation(WALK)
    public tlbcheck.model.State randomWalk() {
        tlbcheck.model.State s = state;
        for (int i = 0; i < WALK; i++) {
            Step step = policy.next(s, random).get();
            s = step.fire(model, s).after();
        }
        state = s;
        return s;
    }

    /** The hunt loop on a holding property: 100 walks of 200 steps, invariant 1 after every step. */
    @Benchmark
    @OperationsPerInvocation(100 * 200)
    public void huntHoldingProperty(Blackhole bh) {
        Model v5 = new Model(Variants.V5, model.scope());
        bh.consume(Hunt.search(v5, Invariants.all().get(0),
                new HuntConfig(random.nextLong(), 100, 200, 60, 10, true, 0)));
    }
}
