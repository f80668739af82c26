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
 * shortest counterexample. Every thread expands states of the level and inserts their successors
 * into the shared visited set itself; nothing in the result depends on which thread got where first:
 * a level's set of states is the same whatever the order, a new state's recorded parent is the
 * smallest fingerprint among the states of the previous level that reach it by a step not asleep ({@link VisitedSet}),
 * its sleep set is what all those arrivals agree on ({@link SleepTable}), and
 * the counterexample (or the deadlock) reported is the one from the violating state with the smallest
 * fingerprint, rebuilt by taking the model's steps in their order. So the verdict, the counts and the
 * trace are the same on any number of threads and under any timing.
 */
public final class Explorer {

    /**
     * @param maxDepth stop after this many levels (0: no bound)
     * @param maxStates stop once this many distinct states are stored
     * @param seconds time limit
     * @param threads expansion threads
     * @param progressSeconds print a progress line this often (0: never)
     * @param symmetry which renamings count as the same state ({@link Symmetry}); less than {@code ALL} only to check
     *     that the reductions keep every verdict and shortest length, or for an op that names a page or a frame by
     *     its number
     * @param sleepSets whether successors a sleep set shows to be reached by another order are left unencoded; off
     *     only to check that this changes no count, verdict or shortest length
     */
    public record Config(int maxDepth, long maxStates, double seconds, int threads, double progressSeconds,
                         Symmetry symmetry, boolean sleepSets) {
        public Config(int maxDepth, long maxStates, double seconds, int threads, double progressSeconds) {
            this(maxDepth, maxStates, seconds, threads, progressSeconds, Symmetry.ALL, true);
        }

        public static Config defaults() {
            return new Config(0, 50_000_000, 300, Runtime.getRuntime().availableProcessors(), 0);
        }

        public Config withMaxDepth(int depth) {
            return new Config(depth, maxStates, seconds, threads, progressSeconds, symmetry, sleepSets);
        }

        public Config withThreads(int n) {
            return new Config(maxDepth, maxStates, seconds, n, progressSeconds, symmetry, sleepSets);
        }

        public Config withProgress(double every) {
            return new Config(maxDepth, maxStates, seconds, threads, every, symmetry, sleepSets);
        }

        /** The time limit, a safety net only: a run it stops says so ({@code stoppedBy: time}). */
        public Config withSeconds(double s) {
            return new Config(maxDepth, maxStates, s, threads, progressSeconds, symmetry, sleepSets);
        }

        public Config withMaxStates(long n) {
            return new Config(maxDepth, n, seconds, threads, progressSeconds, symmetry, sleepSets);
        }

        public Config withSymmetry(Symmetry which) {
            return new Config(maxDepth, maxStates, seconds, threads, progressSeconds, which, sleepSets);
        }

        public Config withSleepSets(boolean on) {
            return new Config(maxDepth, maxStates, seconds, threads, progressSeconds, symmetry, on);
        }
    }

    private final Model model;
    private final Invariant invariant;
    private final StateCodec codec;
    private final Step[] steps;
    private final int words;
    /** Whether states carry sleep sets: the footprints' locations fit in a long's bits. */
    private final boolean sleeping;
    /** Longs of a sleep set: a bit per candidate step; 0 without sleep sets. */
    private final int sleepWords;
    /** Longs a level gives each state: its fingerprint, its packed form, and its sleep set. */
    private final int record;

    /** Takes each level's states last first: a test's way to change who reaches a state first, deterministically. */
    private final boolean reversed;

    private Explorer(Model model, Invariant invariant, Config config, boolean reversed) {
        this.reversed = reversed;
        this.model = model;
        this.invariant = invariant;
        this.codec = new StateCodec(model, config.symmetry());
        this.steps = model.candidates().toJavaArray(Step[]::new);
        this.words = codec.words();
        this.sleeping = config.sleepSets() && new Footprint(model).fits();
        this.sleepWords = sleeping ? (steps.length + 63) / 64 : 0;
        this.record = words + 1 + sleepWords;
    }

    public static ExploreResult explore(Model model, Invariant invariant, Config config) {
        return explore(model, invariant, config, line -> {});
    }

    public static ExploreResult explore(Model model, Invariant invariant, Config config, Consumer<String> progress) {
        return new Explorer(model, invariant, config, false).run(config, progress);
    }

    /** As {@link #explore}, taking every level's states in the opposite order: the answer must not change. */
    static ExploreResult exploreReversed(Model model, Invariant invariant, Config config) {
        return new Explorer(model, invariant, config, true).run(config, line -> {});
    }

    private long fingerprint(State s, long[] scratch) {
        codec.encodeCanonical(s, scratch, 0);
        return StateCodec.fingerprint(scratch, 0, words);
    }

    /**
     * One expanding thread. It takes states of the level one at a time, inserts their successors into the
     * visited set itself, and keeps what it found as reductions that do not depend on which thread took
     * which state: counts, and the smallest fingerprint among the violating and the deadlocked states.
     */
    private final class Worker implements java.util.concurrent.Callable<Void> {
        final StateCodec.Encoder encoder = codec.encoder();
        final Footprint footprint = new Footprint(model);
        final StepRenaming renaming = new StepRenaming(steps, model.scope().cpus(), model.scope().pages());
        /** The packed successors of the state being expanded, their fingerprints and their sleep sets (canonical names). */
        final long[] successors = new long[steps.length * words];
        final long[] fps = new long[steps.length];
        final long[] sleeps = new long[steps.length * sleepWords];
        /** The sleep set of the state being expanded, its enabled steps, and its steps taken so far (sets of steps). */
        final long[] sleep = new long[sleepWords];
        final long[] enabledSet = new long[sleepWords];
        final long[] taken = new long[sleepWords];
        final long[] asleep = new long[sleepWords];
        /** The enabled steps of the state being expanded, and the footprint of each. */
        final int[] enabled = new int[steps.length];
        final long[] reads = new long[steps.length];
        final long[] writes = new long[steps.length];
        LongBuffer out = new LongBuffer();
        /** The slots of the states this thread added during the level, in the order of {@code out}: closing them needs no search. */
        int[] slots = new int[1024];
        int added;
        Level level;
        VisitedSet visited;
        SleepTable sleepTable;
        long transitions;
        long slept;
        long lookups;
        long deadlocks;
        long minDeadlock;
        long minViolating;

        void begin(Level level, VisitedSet visited, SleepTable sleepTable, LongBuffer out) {
            this.level = level;
            this.visited = visited;
            this.sleepTable = sleepTable;
            this.out = out;
            added = 0;
            transitions = 0;
            slept = 0;
            lookups = 0;
            deadlocks = 0;
            minDeadlock = Long.MAX_VALUE;
            minViolating = Long.MAX_VALUE;
        }

        /** Stops between two states when a table must grow; the explorer grows it and calls again. */
        @Override
        public Void call() {
            while (!visited.needsGrow() && !(sleeping && sleepTable.needsGrow())) {
                int i = level.cursor.getAndIncrement();
                if (i >= level.size) break;
                if (reversed) i = level.size - 1 - i;
                int p = level.index(i);
                expand(level.parts[p].array(), level.offset(p, i));
            }
            return null;
        }

        /**
         * Fires every enabled step and checks it against the invariant; encodes and looks up the successors, except
         * a step's own state (a TLB hit) and the steps in the state's sleep set. A step sleeps in a state when the
         * state was reached by a step independent of it ({@link Footprint}) from a state where it had been taken
         * already or slept: its successor is then reached the other way round, from the state one level up that it
         * led to, at the same depth (Godefroid's sleep sets). A level's states are expanded only once every arrival
         * at them is in, each with the intersection of the sets it arrived with; an arrival at a state of an earlier
         * level is on no shortest path and brings nothing. So every state is still reached, at its shortest depth,
         * and every transition of it is still fired and checked: the states, the transitions, the verdict and the
         * shortest length are those of the search without sleep sets.
         */
        private void expand(long[] f, int at) {
            long parentFp = f[at];
            State s = codec.decode(f, at + 1);
            int e = 0;
            java.util.Arrays.fill(enabledSet, 0L);
            for (int k = 0; k < steps.length; k++) {
                if (!steps[k].enabled(model, s)) continue;
                enabled[e++] = k;
                if (sleeping) {
                    enabledSet[k >>> 6] |= 1L << k;
                    footprint.of(s, steps[k]);
                    reads[k] = footprint.reads;
                    writes[k] = footprint.writes;
                }
            }
            transitions += e;
            if (e == 0) {
                if (!atRest(s)) {
                    deadlocks++;
                    minDeadlock = Math.min(minDeadlock, parentFp);
                }
                return;
            }
            // The sleep set, then each step as it is taken: what a later successor's sleep set is drawn from.
            for (int w = 0; w < sleepWords; w++) {
                sleep[w] = f[at + 1 + words + w] & enabledSet[w];
                taken[w] = sleep[w];
            }
            int n = 0;
            for (int j = 0; j < e; j++) {
                int k = enabled[j];
                Transition t = steps[k].fire(model, s);
                if (parentFp < minViolating && invariant.check(model, t).isDefined()) minViolating = parentFp;
                // A step that changes nothing (a TLB hit) gives back its state: visited already, and a fifth of all
                // transitions, so it is checked but neither encoded nor looked up.
                if (t.after() == s) {
                    if (sleeping) taken[k >>> 6] |= 1L << k;
                    continue;
                }
                if (sleeping && (sleep[k >>> 6] & 1L << k) != 0) {
                    slept++;
                    continue;
                }
                int base = n * words;
                encoder.encode(t.after(), successors, base);
                fps[n] = StateCodec.fingerprint(successors, base, words);
                if (sleeping) {
                    for (int w = 0; w < sleepWords; w++) {
                        long z = 0;
                        for (long m = taken[w]; m != 0; m &= m - 1) {
                            int u = 64 * w + Long.numberOfTrailingZeros(m);
                            if (!Footprint.conflict(reads[u], writes[u], reads[k], writes[k])) z |= 1L << u;
                        }
                        asleep[w] = z;
                    }
                    renaming.rename(asleep, encoder, sleeps, n * sleepWords);
                    taken[k >>> 6] |= 1L << k;
                }
                n++;
            }
            lookups += n;
            visited.touch(fps, n);
            if (sleeping) sleepTable.touch(fps, n);
            for (int j = 0; j < n; j++) {
                int slot = visited.add(fps[j], parentFp);
                if (slot >= 0) {
                    if (added == slots.length) slots = java.util.Arrays.copyOf(slots, 2 * added);
                    slots[added++] = slot;
                    out.add(fps[j]);
                    out.add(successors, j * words, words);
                    for (int w = 0; w < sleepWords; w++) out.add(0L);
                }
                if (sleeping && slot != VisitedSet.CLOSED_STATE) sleepTable.arrive(fps[j], sleeps, j * sleepWords);
            }
        }

        /** Closes the states this thread added during the level: their parents and sleep sets are final. */
        Void close() {
            long[] b = out.array();
            for (int i = 0, k = 0; i < out.size(); i += record, k++) {
                visited.close(b[i], slots[k]);
                if (sleeping) sleepTable.sleep(b[i], b, i + 1 + words);
            }
            return null;
        }
    }

    /** A level's states, as the parts the threads filled (records of a fingerprint and the packed state), and a cursor. */
    private final class Level {
        final LongBuffer[] parts;
        final int[] starts;
        final int size;
        final java.util.concurrent.atomic.AtomicInteger cursor = new java.util.concurrent.atomic.AtomicInteger();

        Level(LongBuffer[] parts) {
            this.parts = parts;
            this.starts = new int[parts.length + 1];
            for (int p = 0; p < parts.length; p++) starts[p + 1] = starts[p] + parts[p].size() / record;
            this.size = starts[parts.length];
        }

        /** The part that holds state {@code i} of the level. */
        int index(int i) {
            int p = 0;
            while (starts[p + 1] <= i) p++;
            return p;
        }

        /** Where state {@code i} of the level begins in its part {@code p}. */
        int offset(int p, int i) {
            return (i - starts[p]) * record;
        }

        long bytes() {
            long b = 0;
            for (LongBuffer p : parts) b += 8L * p.capacity();
            return b;
        }
    }

    /**
     * A state where nothing is under way: no procedure in flight, no device waiting. One where nothing can move is an
     * end, as SPIN's valid end state (every page unmapped by a kernel that has no fault to map it again), not a deadlock;
     * a deadlock is a procedure or a device stuck, which no step will ever let go on.
     */
    static boolean atRest(State s) {
        for (int c = 0; c < s.cpus(); c++) if (s.running(c).isDefined()) return false;
        for (int d = 0; d < s.smmus(); d++) if (s.device(d).outstanding()) return false;
        return true;
    }

    private ExploreResult run(Config config, Consumer<String> progress) {
        long start = System.nanoTime();
        long deadline = start + (long) (config.seconds() * 1e9);
        long nextProgress = start + (long) (config.progressSeconds() * 1e9);
        VisitedSet visited = new VisitedSet(1 << 16);
        long[] scratch = new long[words];
        long initFp = fingerprint(model.initial(), scratch);
        visited.addRoot(initFp);
        LongBuffer first = new LongBuffer();
        first.add(initFp);
        first.add(scratch, 0, words);
        for (int w = 0; w < sleepWords; w++) first.add(0L);
        int threads = Math.max(1, config.threads());
        // Threads check the load between two states: room for every thread's successors of one state past half load.
        SleepTable sleepTable = new SleepTable(Math.max(1 << 12, 4 * threads * steps.length), Math.max(1, sleepWords));
        List<Worker> workers = new ArrayList<>();
        for (int w = 0; w < threads; w++) workers.add(new Worker());
        Level level = new Level(new LongBuffer[] {first});
        LongBuffer[] spare = {};
        long transitions = 0;
        long slept = 0;
        long lookups = 0;
        long deadlocks = 0;
        long firstDeadlock = 0;
        long peakFrontierBytes = 0;
        int depth = 0;
        String stoppedBy = "exhausted";
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            while (level.size > 0) {
                LongBuffer[] next = new LongBuffer[threads];
                for (int w = 0; w < threads; w++) {
                    next[w] = spare.length > w ? spare[w].clear() : new LongBuffer();
                    workers.get(w).begin(level, visited, sleepTable, next[w]);
                }
                while (true) {
                    runAll(pool, workers, Worker::call);
                    if (level.cursor.get() >= level.size) break;
                    if (visited.needsGrow()) visited.grow();
                    if (sleeping && sleepTable.needsGrow()) sleepTable.grow();
                }
                runAll(pool, workers, Worker::close);
                long sleepBytes = sleeping ? sleepTable.bytes() : 0;
                if (sleeping) sleepTable.clear();
                long violating = Long.MAX_VALUE;
                long levelDeadlock = Long.MAX_VALUE;
                long levelDeadlocks = 0;
                for (Worker w : workers) {
                    transitions += w.transitions;
                    slept += w.slept;
                    lookups += w.lookups;
                    levelDeadlocks += w.deadlocks;
                    levelDeadlock = Math.min(levelDeadlock, w.minDeadlock);
                    violating = Math.min(violating, w.minViolating);
                }
                if (deadlocks == 0 && levelDeadlocks > 0) firstDeadlock = levelDeadlock;
                deadlocks += levelDeadlocks;
                Level following = new Level(next);
                long slotBytes = 0;
                for (Worker w : workers) slotBytes += 4L * w.slots.length;
                peakFrontierBytes = Math.max(peakFrontierBytes, level.bytes() + following.bytes() + slotBytes + sleepBytes);
                if (violating != Long.MAX_VALUE) {
                    Array<Step> trace = trace(visited, violating);
                    Violation v = violationAt(trace);
                    return result(visited, transitions, slept, lookups, depth + 1, false, start, Option.some(trace),
                            Option.some(v), "violation", peakFrontierBytes, deadlocks, firstDeadlock);
                }
                spare = level.parts;
                level = following;
                if (level.size > 0) depth++;
                if (config.progressSeconds() > 0 && System.nanoTime() > nextProgress) {
                    double el = (System.nanoTime() - start) / 1e9;
                    progress.accept(String.format("%s / %s: %d states, %.0f states/s, depth %d, queue %d",
                            model.variant().name(), invariant.name(), visited.size(), visited.size() / el, depth,
                            level.size));
                    nextProgress = System.nanoTime() + (long) (config.progressSeconds() * 1e9);
                }
                if (level.size == 0) break;
                if (config.maxDepth() > 0 && depth >= config.maxDepth()) { stoppedBy = "depth"; break; }
                if (visited.size() >= config.maxStates()) { stoppedBy = "states"; break; }
                if (System.nanoTime() > deadline) { stoppedBy = "time"; break; }
            }
        } finally {
            pool.shutdownNow();
        }
        return result(visited, transitions, slept, lookups, depth, stoppedBy.equals("exhausted"), start, Option.none(),
                Option.none(), stoppedBy, peakFrontierBytes, deadlocks, firstDeadlock);
    }

    /** Runs one task per worker on the pool and waits for all of them. */
    private static void runAll(ExecutorService pool, List<Worker> workers,
                               java.util.function.Function<Worker, Void> task) {
        List<Future<Void>> futures = new ArrayList<>();
        for (Worker w : workers) futures.add(pool.submit(() -> task.apply(w)));
        for (Future<Void> f : futures) get(f);
    }

    private ExploreResult result(VisitedSet visited, long transitions, long slept, long lookups, int depth,
                                 boolean complete, long start, Option<Array<Step>> trace, Option<Violation> violation,
                                 String stoppedBy, long peakFrontierBytes, long deadlocks, long firstDeadlock) {
        double n = visited.size();
        // Each lookup of a state already there could have been a new state whose fingerprint collided.
        double odds = n * Math.max(0, lookups - n) / Math.pow(2, 63);
        return new ExploreResult(model, invariant, visited.size(), transitions, depth, complete,
                (System.nanoTime() - start) / 1e9, trace, violation, stoppedBy,
                (visited.bytes() + peakFrontierBytes) / n, odds, deadlocks,
                deadlocks > 0 ? Option.some(path(visited, firstDeadlock)._1) : Option.none(), slept);
    }

    private static <T> T get(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("exploration interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException("exploration failed: " + e.getCause(), e.getCause());
        }
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
            if (!found) {
                throw new IllegalStateException("cannot rebuild the trace at level " + level + " of " + model.variant().name()
                        + " in " + model.scope() + ": no step from the state reached leads to a state the search stored."
                        + " The search merged two states that differ, or a step is not a function of the state. Usually an"
                        + " op of one's own keeps a frame, CPU or page number where the explorer does not rename it: it"
                        + " renames the frames in PTEs, TLBs, the free list and a procedure's newFrame, oldFrames and"
                        + " snapshot (one PTE code), the CPUs' and pages' places everywhere; or an op reads something"
                        + " outside the State. To confirm, search without renaming: Explorer.Config.withSymmetry(Symmetry.NONE)");
            }
        }
        return io.vavr.Tuple.of(Array.ofAll(out), s);
    }

    private Violation violationAt(Array<Step> trace) {
        return tlbcheck.hunt.TraceCheck.verify(model, invariant, trace, "shortest");
    }
}
