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
 * factor of every reduction over it (states over reduced states; a lower bound unless both searches are
 * complete). JMH runs each in a JVM of its own, so the counts pass between them in a file,
 * {@code target/explore-benchmark.properties}.
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

    /** {@code -p sleepSets=true,false} measures what they save: the counts are the same either way. */
    @Param({"true"})
    public boolean sleepSets;

    /** The time limit of one exploration: a safety net, far above what the default scope needs. */
    @Param({"3600"})
    public double seconds;

    /** The states of the last exploration of each (variant, scope, symmetry), and whether it was complete. */
    private static final java.nio.file.Path LAST = java.nio.file.Path.of("target", "explore-benchmark.properties");

    @Benchmark
    public ExploreResult explore() {
        Model model = new Model(Variants.byName(variant), tlbcheck.model.Scope.parse(scope));
        ExploreResult r = Explorer.explore(model, Invariants.all().get(0),
                Explorer.Config.defaults().withMaxStates(maxStates).withThreads(threads).withProgress(30)
                        .withSeconds(seconds).withSymmetry(symmetry).withSleepSets(sleepSets), System.out::println);
        // Transitions per second beside states per second: a reduction stores fewer states, each worth more transitions.
        System.out.printf("%n%s %s (symmetry %s, sleep sets %s): %s in %.1fs: %.0f states/s, %.0f transitions/s, "
                        + "%.1f bytes/state, %d transitions slept (%.1f%%), collision odds %.2e%n",
                variant, scope, symmetry, sleepSets ? "on" : "off", r.verdict(), r.seconds(), r.statesPerSecond(),
                r.transitions() / r.seconds(), r.bytesPerState(), r.slept(),
                100.0 * r.slept() / Math.max(1, r.transitions()), r.collisionOdds());
        java.util.Properties last = load();
        last.setProperty(variant + "@" + scope + "@" + symmetry, r.states() + " " + r.complete());
        for (tlbcheck.explore.Symmetry more : tlbcheck.explore.Symmetry.values()) {
            String reduced = last.getProperty(variant + "@" + scope + "@" + more);
            if (more.compareTo(symmetry) <= 0 || reduced == null) continue;
            long states = Long.parseLong(reduced.split(" ")[0]);
            boolean complete = Boolean.parseBoolean(reduced.split(" ")[1]);
            System.out.printf("%s %s: reduction factor of symmetry %s over %s: %.2f (%d states against %d; %s)%n", variant,
                    scope, more, symmetry, (double) r.states() / states, r.states(), states,
                    complete && r.complete() ? "both complete" : "not both complete: a lower bound at best");
        }
        try (var out = java.nio.file.Files.newBufferedWriter(LAST)) {
            last.store(out, "ExploreBenchmark: states and completeness of the last exploration of each variant, scope, symmetry");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return r;
    }

    private static java.util.Properties load() {
        java.util.Properties p = new java.util.Properties();
        if (!java.nio.file.Files.exists(LAST)) return p;
        try (var in = java.nio.file.Files.newBufferedReader(LAST)) {
            p.load(in);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return p;
    }
}
