package tlbcheck.hunt;

import io.vavr.collection.Array;
import io.vavr.collection.LinkedHashMap;
import io.vavr.control.Option;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import tlbcheck.model.Model;
import tlbcheck.model.State;
import tlbcheck.model.Transition;
import tlbcheck.model.invariant.Invariant;
import tlbcheck.model.step.Step;

/**
 * The hunt for one property (a variant and an invariant): seeded random walks, the invariant checked
 * after every step, the first failure shrunk. The same config gives the same walks, the same verdict
 * and the same shrunk counterexample.
 */
public final class Hunt {

    private Hunt() {}

    private static final long PCT_SALT = 0x5DEECE66DL;

    public static HuntResult run(Model model, Invariant invariant, HuntConfig config) {
        return run(model, invariant, config, line -> {});
    }

    public static HuntResult run(Model model, Invariant invariant, HuntConfig config, Consumer<String> progress) {
        Shrink shrinker = shrinkerOnly(model, invariant, config);
        return run(model, invariant, config, progress, failing -> Shortest.of(model, invariant, shrinker.shrink(failing)));
    }

    /**
     * The shrinker without the breadth-first search for a shorter run ({@link Shortest}) after it: for a test about
     * something else, which should not pay for that search.
     */
    public static Shrink shrinkerOnly(Model model, Invariant invariant, HuntConfig config) {
        return failing -> new Shrinker(model, invariant, config.shrinkSeconds(), config.shrinkCandidates()).shrink(failing);
    }

    /** How a failing walk is minimised; the hunt replays whatever it returns before reporting it. */
    @FunctionalInterface
    public interface Shrink {
        Shrinker.Result shrink(Array<Step> failing);
    }

    /** The hunt with a given minimiser (the checker's own tests pass a broken one to see it caught). */
    public static HuntResult run(Model model, Invariant invariant, HuntConfig config, Consumer<String> progress,
                                 Shrink shrinker) {
        return hunt(model, invariant, config, progress, Option.some(shrinker));
    }

    /** The walks alone, stopping at the first violation without shrinking it: what the benchmarks time. */
    public static HuntResult search(Model model, Invariant invariant, HuntConfig config) {
        return hunt(model, invariant, config, line -> {}, Option.none());
    }

    private static HuntResult hunt(Model model, Invariant invariant, HuntConfig config, Consumer<String> progress,
                                   Option<Shrink> shrink) {
        Generator generator = new Generator(model);
        Array<String> kinds = generator.kinds();
        long[] kindCounts = new long[kinds.size()];
        java.util.Map<String, Integer> kindIndex = new java.util.HashMap<>();
        for (int k = 0; k < kinds.size(); k++) kindIndex.put(kinds.get(k), k);

        long start = System.nanoTime();
        long deadline = start + (long) (config.seconds() * 1e9);
        long nextProgress = start + (long) (config.progressSeconds() * 1e9);
        long steps = 0;
        int racyRuns = 0;
        long flushes = 0;
        long secondary = 0;
        String stoppedBy = "tries";
        int tryNo = 0;
        int done = 0;
        List<Step> walk = new ArrayList<>(config.length());
        for (; tryNo < config.tries(); tryNo++) {
            if (!config.mine(tryNo)) continue;
            done++;
            if (System.nanoTime() > deadline) {
                stoppedBy = "time";
                break;
            }
            long trySeed = config.trySeed(tryNo);
            SplittableRandom random = new SplittableRandom(trySeed);
            Generator.Policy policy = config.swarm() && random.nextInt(4) != 0
                    ? generator.swarm(random) : generator.everything();
            // From a stream of its own, so that a walk without priorities is the one its seed gave before them.
            SplittableRandom order = new SplittableRandom(trySeed ^ PCT_SALT);
            if (config.pct() && order.nextBoolean()) policy = generator.prioritised(policy, config.length(), order);
            walk.clear();
            State s = model.initial();
            boolean racy = false;
            for (int i = 0; i < config.length(); i++) {
                Option<Step> next = policy.next(s, random);
                if (next.isEmpty()) break;
                Step step = next.get();
                Transition t = step.fire(model, s);
                walk.add(step);
                steps++;
                kindCounts[kindIndex.get(step.kind())]++;
                if (t.completed().isDefined()) {
                    flushes += t.completed().get().flushes();
                    secondary += t.completed().get().secondary();
                }
                racy = racy || invariant.racy(model, t);
                if (invariant.check(model, t).isDefined()) {
                    double found = (System.nanoTime() - start) / 1e9;
                    // The walks' time alone, so steps/s measures them and not the shrinking and search after.
                    Option<Shrinker.Result> shrunk = shrink.map(m -> verified(model, invariant, m.shrink(Array.ofAll(walk))));
                    return new HuntResult(model, invariant, true, done, steps, found,
                            tryNo + 1, found, trySeed, Array.ofAll(walk), shrunk,
                            counts(kinds, kindCounts), racyRuns + (racy ? 1 : 0), flushes, secondary, "violation");
                }
                s = t.after();
            }
            if (racy) racyRuns++;
            if (config.progressSeconds() > 0 && System.nanoTime() > nextProgress) {
                double el = (System.nanoTime() - start) / 1e9;
                // How far: whichever bound (tries or time) stops the hunt first.
                double far = Math.max((tryNo + 1.0) / config.tries(), el / config.seconds());
                progress.accept(String.format("%s / %s: %.0f%% done, try %,d of %,d, %.0f of %.0f s, %d steps,"
                                + " %.0f steps/s, racy runs %d", model.variant().name(), invariant.name(),
                        Math.min(100, 100 * far), tryNo + 1, config.tries(), el, config.seconds(), steps, steps / el,
                        racyRuns));
                nextProgress = System.nanoTime() + (long) (config.progressSeconds() * 1e9);
            }
        }
        return new HuntResult(model, invariant, false, stoppedBy.equals("time") ? done - 1 : done, steps,
                (System.nanoTime() - start) / 1e9, 0, 0,
                config.seed(), Array.empty(), Option.none(), counts(kinds, kindCounts), racyRuns, flushes, secondary,
                stoppedBy);
    }

    /** The minimiser's result, replayed: it must violate at its last step; the replayed violation is reported. */
    private static Shrinker.Result verified(Model model, Invariant invariant, Shrinker.Result r) {
        var v = TraceCheck.verify(model, invariant, r.steps(), "shrunk");
        return new Shrinker.Result(r.steps(), v, r.originalLength(), r.candidates(), r.timedOut(), r.shortest());
    }

    private static LinkedHashMap<String, Long> counts(Array<String> kinds, long[] counts) {
        LinkedHashMap<String, Long> out = LinkedHashMap.empty();
        for (int k = 0; k < kinds.size(); k++) out = out.put(kinds.get(k), counts[k]);
        return out;
    }
}
