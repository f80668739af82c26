package tlbcheck.explore;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import tlbcheck.model.Model;
import tlbcheck.model.Variants;
import tlbcheck.model.invariant.Invariant;
import tlbcheck.model.invariant.Invariants;
import tlbcheck.model.step.Step;

/**
 * The explorer's cost per transition, taken apart on one thread: the canonical encoding of a successor alone, and
 * everything the explorer does for a transition (fire the step, check the invariant, encode, fingerprint). The
 * transitions are the first {@value #TRANSITIONS} out of the states met on seeded random walks, taken in the explorer's
 * order (a state's successors one after another), so the encoder's reuse of the parts a step did not change counts as
 * it does in a search. Figures in nanoseconds per transition.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class CodecBenchmark {

    static final int TRANSITIONS = 200_000;

    @Param({"V5"})
    public String variant;

    @Param({"2,1,2,3"})
    public String scope;

    private Model model;
    private Invariant invariant;
    private Step[] steps;
    private StateCodec.Encoder encoder;
    private int words;
    private long[] out;
    /** Transition i fires {@code fired[i]} from {@code from[i]} and reaches {@code successors[i]}. */
    private final tlbcheck.model.State[] from = new tlbcheck.model.State[TRANSITIONS];
    private final Step[] fired = new Step[TRANSITIONS];
    private final tlbcheck.model.State[] successors = new tlbcheck.model.State[TRANSITIONS];

    @Setup(Level.Trial)
    public void setUp() {
        model = new Model(Variants.byName(variant), tlbcheck.model.Scope.parse(scope));
        invariant = Invariants.all().get(0);
        steps = model.candidates().toJavaArray(Step[]::new);
        StateCodec codec = new StateCodec(model);
        encoder = codec.encoder();
        words = codec.words();
        out = new long[words];
        SplittableRandom random = new SplittableRandom(1);
        tlbcheck.model.State s = model.initial();
        int n = 0;
        while (n < TRANSITIONS) {
            List<tlbcheck.model.State> next = new ArrayList<>();
            for (Step step : steps) {
                if (!step.enabled(model, s) || n == TRANSITIONS) continue;
                next.add(step.fire(model, s).after());
                from[n] = s;
                fired[n] = step;
                successors[n++] = next.get(next.size() - 1);
            }
            s = next.isEmpty() || random.nextInt(100) == 0 ? model.initial() : next.get(random.nextInt(next.size()));
        }
    }

    /** Canonical encoding and fingerprint of a successor. */
    @Benchmark
    @OperationsPerInvocation(TRANSITIONS)
    public long encode() {
        long x = 0;
        for (tlbcheck.model.State s : successors) {
            encoder.encode(s, out, 0);
            x ^= StateCodec.fingerprint(out, 0, words);
        }
        return x;
    }

    /** A transition as the explorer takes it: enabled, fired, checked, encoded, fingerprinted. */
    @Benchmark
    @OperationsPerInvocation(TRANSITIONS)
    public long transition() {
        long x = 0;
        for (int i = 0; i < TRANSITIONS; i++) {
            tlbcheck.model.State s = from[i];
            Step step = fired[i];
            if (!step.enabled(model, s)) continue;
            tlbcheck.model.Transition t = step.fire(model, s);
            if (invariant.check(model, t).isDefined()) x++;
            encoder.encode(t.after(), out, 0);
            x ^= StateCodec.fingerprint(out, 0, words);
        }
        return x;
    }
}
