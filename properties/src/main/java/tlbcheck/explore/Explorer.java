package tlbcheck.explore;

import io.vavr.collection.Array;
import io.vavr.control.Option;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import tlbcheck.model.Model;
import tlbcheck.model.State;
import tlbcheck.model.Transition;
import tlbcheck.model.invariant.Invariant;
import tlbcheck.model.invariant.Violation;
import tlbcheck.model.step.Step;

/**
 * Breadth-first exploration of every reachable state of a variant in a scope, checking an invariant
 * on every transition, on the same model the hunt walks. The first violating level holds a
 * shortest counterexample. Levels are expanded in parallel and merged in frontier order, so the
 * result (and the counterexample) is the same on any number of threads.
 */
public final class Explorer {

    /**
     * @param maxDepth stop after this many levels (0: no bound)
     * @param maxStates stop once this many distinct states are stored
     * @param seconds time limit
     * @param threads expansion threads
     * @param progressSeconds print a progress line this often (0: never)
     * @param cpuSymmetry whether states that differ only by a renaming of CPUs count as one; off only to check
     *     that the reduction keeps every verdict and shortest length
     */
    public record Config(int maxDepth, long maxStates, double seconds, int threads, double progressSeconds,
                         boolean cpuSymmetry) {
        public Config(int maxDepth, long maxStates, double seconds, int threads, double progressSeconds) {
            this(maxDepth, maxStates, seconds, threads, progressSeconds, true);
        }

        public static Config defaults() {
            return new Config(0, 50_000_000, 300, Runtime.getRuntime().availableProcessors(), 0);
        }

        public Config withMaxDepth(int depth) {
            return new Config(depth, maxStates, seconds, threads, progressSeconds, cpuSymmetry);
        }

        public Config withThreads(int n) {
            return new Config(maxDepth, maxStates, seconds, n, progressSeconds, cpuSymmetry);
        }

        public Config withProgress(double every) {
            return new Config(maxDepth, maxStates, seconds, threads, every, cpuSymmetry);
        }

        /** The time limit, a safety net only: a run it stops says so ({@code stoppedBy: time}). */
        public Config withSeconds(double s) {
            return new Config(maxDepth, maxStates, s, threads, progressSeconds, cpuSymmetry);
        }

        public Config withMaxStates(long n) {
            return new Config(maxDepth, n, seconds, threads, progressSeconds, cpuSymmetry);
        }

        public Config withCpuSymmetry(boolean on) {
            return new Config(maxDepth, maxStates, seconds, threads, progressSeconds, on);
        }
    }

    private final Model model;
    private final Invariant invariant;
    private final StateCodec codec;
    private final Step[] steps;
    private final int words;

    private Explorer(Model model, Invariant invariant, boolean cpuSymmetry) {
        this.model = model;
        this.invariant = invariant;
        this.codec = new StateCodec(model, cpuSymmetry);
        this.steps = model.candidates().toJavaArray(Step[]::new);
        this.words = codec.words();
    }

    public static ExploreResult explore(Model model, Invariant invariant, Config config) {
        return explore(model, invariant, config, line -> {});
    }

    public static ExploreResult explore(Model model, Invariant invariant, Config config, Consumer<String> progress) {
        return new Explorer(model, invariant, config.cpuSymmetry()).run(config, progress);
    }

    /** One chunk of a level: the new children it found (in order) and its first violation. */
    private static final class Chunk {
        final LongBuffer children = new LongBuffer();
        long transitions;
        long deadlocks;
        long firstDeadlock;
        long violatingParent;
        int violatingIndex = Integer.MAX_VALUE;
    }

    private long fingerprint(State s, long[] scratch) {
        java.util.Arrays.fill(scratch, 0);
        codec.encodeCanonical(s, scratch, 0);
        return StateCodec.fingerprint(scratch, 0, words);
    }

    private ExploreResult run(Config config, Consumer<String> progress) {
        long start = System.nanoTime();
        long deadline = start + (long) (config.seconds() * 1e9);
        long nextProgress = start + (long) (config.progressSeconds() * 1e9);
        VisitedSet visited = new VisitedSet(1 << 16);
        long[] scratch = new long[words];
        State init = model.initial();
        long initFp = fingerprint(init, scratch);
        visited.add(initFp, 0);
        LongBuffer frontier = new LongBuffer();
        frontier.add(scratch, 0, words);
        long transitions = 0;
        long deadlocks = 0;
        long firstDeadlock = 0;
        long peakFrontierBytes = 0;
        int depth = 0;
        String stoppedBy = "exhausted";
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, config.threads()));
        try {
            while (frontier.size() > 0) {
                int n = frontier.size() / words;
                int chunks = Math.min(n, Math.max(1, config.threads() * 8));
                List<Future<Chunk>> futures = new ArrayList<>();
                LongBuffer current = frontier;
                for (int c = 0; c < chunks; c++) {
                    int from = (int) ((long) n * c / chunks);
                    int to = (int) ((long) n * (c + 1) / chunks);
                    futures.add(pool.submit(() -> expand(current, from, to, visited)));
                }
                LongBuffer next = new LongBuffer();
                long violatingParent = 0;
                int violatingIndex = Integer.MAX_VALUE;
                for (Future<Chunk> f : futures) {
                    Chunk chunk = get(f);
                    transitions += chunk.transitions;
                    if (deadlocks == 0 && chunk.deadlocks > 0) firstDeadlock = chunk.firstDeadlock;
                    deadlocks += chunk.deadlocks;
                    if (chunk.violatingIndex < violatingIndex && violatingIndex == Integer.MAX_VALUE) {
                        violatingIndex = chunk.violatingIndex;
                        violatingParent = chunk.violatingParent;
                    }
                    long[] b = chunk.children.array();
                    int stride = words + 2;
                    for (int i = 0; i + stride <= chunk.children.size(); i += stride) {
                        if (visited.add(b[i], b[i + 1])) next.add(b, i + 2, words);
                    }
                }
                peakFrontierBytes = Math.max(peakFrontierBytes, 8L * (current.capacity() + next.capacity()));
                if (violatingIndex != Integer.MAX_VALUE) {
                    Array<Step> trace = trace(visited, violatingParent);
                    Violation v = violationAt(trace);
                    return result(visited, transitions, depth + 1, false, start, Option.some(trace), Option.some(v),
                            "violation", peakFrontierBytes, deadlocks, firstDeadlock);
                }
                frontier = next;
                if (frontier.size() > 0) depth++;
                if (config.progressSeconds() > 0 && System.nanoTime() > nextProgress) {
                    double el = (System.nanoTime() - start) / 1e9;
                    progress.accept(String.format("%s / %s: %d states, %.0f states/s, depth %d, queue %d",
                            model.variant().name(), invariant.name(), visited.size(), visited.size() / el, depth,
                            frontier.size() / words));
                    nextProgress = System.nanoTime() + (long) (config.progressSeconds() * 1e9);
                }
                if (frontier.size() == 0) break;
                if (config.maxDepth() > 0 && depth >= config.maxDepth()) { stoppedBy = "depth"; break; }
                if (visited.size() >= config.maxStates()) { stoppedBy = "states"; break; }
                if (System.nanoTime() > deadline) { stoppedBy = "time"; break; }
            }
        } finally {
            pool.shutdownNow();
        }
        return result(visited, transitions, depth, stoppedBy.equals("exhausted"), start, Option.none(), Option.none(),
                stoppedBy, peakFrontierBytes, deadlocks, firstDeadlock);
    }

    private ExploreResult result(VisitedSet visited, long transitions, int depth, boolean complete, long start,
                                 Option<Array<Step>> trace, Option<Violation> violation, String stoppedBy,
                                 long peakFrontierBytes, long deadlocks, long firstDeadlock) {
        double n = visited.size();
        double odds = n * Math.max(0, transitions - n) / Math.pow(2, 64);
        return new ExploreResult(model, invariant, visited.size(), transitions, depth, complete,
                (System.nanoTime() - start) / 1e9, trace, violation, stoppedBy,
                (visited.bytes() + peakFrontierBytes) / n, odds, deadlocks,
                deadlocks > 0 ? Option.some(path(visited, firstDeadlock)._1) : Option.none());
    }

    private static Chunk get(Future<Chunk> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("exploration interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("exploration failed: " + e.getCause(), e.getCause());
        }
    }

    private Chunk expand(LongBuffer frontier, int from, int to, VisitedSet visited) {
        Chunk chunk = new Chunk();
        long[] scratch = new long[words];
        long[] f = frontier.array();
        for (int i = from; i < to; i++) {
            State s = codec.decode(f, i * words);
            long parentFp = StateCodec.fingerprint(f, i * words, words);
            boolean moved = false;
            for (int k = 0; k < steps.length; k++) {
                Step step = steps[k];
                if (!step.enabled(model, s)) continue;
                moved = true;
                Transition t = step.fire(model, s);
                chunk.transitions++;
                if (chunk.violatingIndex == Integer.MAX_VALUE && invariant.check(model, t).isDefined()) {
                    chunk.violatingIndex = i;
                    chunk.violatingParent = parentFp;
                }
                long fp = fingerprint(t.after(), scratch);
                if (!visited.contains(fp)) {
                    chunk.children.add(fp);
                    chunk.children.add(parentFp);
                    chunk.children.add(scratch, 0, words);
                }
            }
            if (!moved && chunk.deadlocks++ == 0) chunk.firstDeadlock = parentFp;
        }
        return chunk;
    }

    /**
     * Rebuilds a concrete shortest trace: the chain of fingerprints back to the initial state, then
     * forward from the concrete initial state, at each level the first step (in the model's order)
     * whose successor has the next fingerprint, and last the first step that violates.
     */
    private Array<Step> trace(VisitedSet visited, long lastFp) {
        io.vavr.Tuple2<Array<Step>, State> path = path(visited, lastFp);
        State s = path._2;
        for (Step step : steps) {
            if (step.enabled(model, s) && invariant.check(model, step.fire(model, s)).isDefined()) {
                return path._1.append(step);
            }
        }
        throw new IllegalStateException("the violating step is gone from the rebuilt trace");
    }

    /** The concrete steps from the initial state to a state with this fingerprint, and that state. */
    private io.vavr.Tuple2<Array<Step>, State> path(VisitedSet visited, long lastFp) {
        List<Long> chain = new ArrayList<>();
        for (long fp = lastFp; fp != 0; fp = visited.parent(fp)) chain.add(fp);
        java.util.Collections.reverse(chain);
        long[] scratch = new long[words];
        State s = model.initial();
        List<Step> out = new ArrayList<>();
        for (int level = 1; level < chain.size(); level++) {
            boolean found = false;
            for (Step step : steps) {
                if (!step.enabled(model, s)) continue;
                State next = step.fire(model, s).after();
                if (fingerprint(next, scratch) == chain.get(level)) {
                    out.add(step);
                    s = next;
                    found = true;
                    break;
                }
            }
            if (!found) throw new IllegalStateException("cannot rebuild the trace at level " + level);
        }
        return io.vavr.Tuple.of(Array.ofAll(out), s);
    }

    private Violation violationAt(Array<Step> trace) {
        return tlbcheck.hunt.TraceCheck.verify(model, invariant, trace, "shortest");
    }
}
