package tlbcheck.hunt;

import io.vavr.collection.Array;
import io.vavr.control.Option;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;
import tlbcheck.model.Model;
import tlbcheck.model.Replay;
import tlbcheck.model.State;
import tlbcheck.model.Transition;
import tlbcheck.model.invariant.Invariant;
import tlbcheck.model.invariant.Violation;
import tlbcheck.model.step.Step;

/**
 * Shrinks a failing step list to a minimal one that still breaks the same invariant: delta debugging
 * over the steps (chunks, then single steps), then renames of symmetric actors to the lowest indices
 * and simpler steps, to a fixpoint. Every candidate is replayed on the model; steps that a removal
 * left disabled are dropped, so every kept candidate is a valid run. Deterministic: no randomness.
 */
public final class Shrinker {

    /**
     * The shrunk counterexample.
     *
     * @param candidates how many candidate lists were replayed
     * @param timedOut whether the time bound stopped shrinking before a fixpoint
     * @param shortest what is known of its length: see {@link Shortest}
     */
    public record Result(Array<Step> steps, Violation violation, int originalLength, int candidates, boolean timedOut,
                         String shortest) {
        public Result(Array<Step> steps, Violation violation, int originalLength, int candidates, boolean timedOut) {
            this(steps, violation, originalLength, candidates, timedOut, Shortest.NOT_SEARCHED);
        }

        public Result withShortest(Array<Step> shorter, Violation v, String how) {
            return new Result(shorter, v, originalLength, candidates, timedOut, how);
        }
    }

    private final Model model;
    private final Invariant invariant;
    private final long deadlineNanos;
    private int candidates;

    private final int maxCandidates;

    public Shrinker(Model model, Invariant invariant, double seconds) {
        this(model, invariant, seconds, Integer.MAX_VALUE);
    }

    /** Bounded by {@code maxCandidates} replays, with {@code seconds} as a safety net only. */
    public Shrinker(Model model, Invariant invariant, double seconds, int maxCandidates) {
        this.model = model;
        this.invariant = invariant;
        this.deadlineNanos = System.nanoTime() + (long) (seconds * 1e9);
        this.maxCandidates = maxCandidates;
    }

    /** Replays a candidate, dropping disabled steps; the steps taken up to the first violation, if any. */
    public Option<Array<Step>> violatingPrefix(List<Step> candidate) {
        candidates++;
        State s = model.initial();
        List<Step> taken = new ArrayList<>(candidate.size());
        for (Step step : candidate) {
            if (step.refusal(model, s).isDefined()) continue;
            Transition t = step.fire(model, s);
            taken.add(step);
            if (invariant.check(model, t).isDefined()) {
                return Option.some(Array.ofAll(taken));
            }
            s = t.after();
        }
        return Option.none();
    }

    private Violation violationOf(Array<Step> steps) {
        return Replay.run(model, steps, List.of(invariant)).violation().getOrElseThrow(
                () -> new IllegalStateException("shrunk list no longer violates " + invariant.name()));
    }

    private boolean outOfTime() {
        return candidates >= maxCandidates || System.nanoTime() > deadlineNanos;
    }

    private static boolean better(Array<Step> a, Array<Step> b) {
        if (a.size() != b.size()) return a.size() < b.size();
        for (int i = 0; i < a.size(); i++) {
            int ca = StepRewrites.complexity(a.get(i));
            int cb = StepRewrites.complexity(b.get(i));
            if (ca != cb) return ca < cb;
        }
        return false;
    }

    public Result shrink(Array<Step> failing) {
        Array<Step> best = violatingPrefix(failing.asJava()).getOrElseThrow(
                () -> new IllegalArgumentException("the list to shrink does not violate " + invariant.name()));
        boolean progress = true;
        while (progress && !outOfTime()) {
            progress = false;
            Array<Step> next = removeChunks(best);
            next = renameActors(next);
            next = simplifySteps(next);
            if (better(next, best)) {
                best = next;
                progress = true;
            }
        }
        return new Result(best, violationOf(best), failing.size(), candidates, outOfTime());
    }

    private Array<Step> removeChunks(Array<Step> best) {
        for (int chunk = Math.max(1, best.size() / 2); chunk >= 1 && !outOfTime(); chunk /= 2) {
            int i = 0;
            while (i < best.size() && !outOfTime()) {
                List<Step> candidate = new ArrayList<>(best.size());
                for (int j = 0; j < best.size(); j++) {
                    if (j < i || j >= i + chunk) candidate.add(best.get(j));
                }
                Option<Array<Step>> r = violatingPrefix(candidate);
                if (r.isDefined() && better(r.get(), best)) {
                    best = r.get();
                } else {
                    i += chunk;
                }
            }
        }
        return best;
    }

    private Array<Step> renameActors(Array<Step> best) {
        IntUnaryOperator id = IntUnaryOperator.identity();
        int cpus = model.scope().cpus();
        int pages = model.scope().pages();
        int smmus = model.scope().smmus();
        for (int a = 0; a < Math.max(cpus, Math.max(pages, smmus)) && !outOfTime(); a++) {
            for (int b = a + 1; b < Math.max(cpus, Math.max(pages, smmus)); b++) {
                if (b < cpus) best = tryRename(best, StepRewrites.swap(a, b), id, id);
                if (b < pages) best = tryRename(best, id, StepRewrites.swap(a, b), id);
                if (b < smmus) best = tryRename(best, id, id, StepRewrites.swap(a, b));
            }
        }
        return best;
    }

    private Array<Step> tryRename(Array<Step> best, IntUnaryOperator cpu, IntUnaryOperator page, IntUnaryOperator dev) {
        List<Step> candidate = best.map(s -> StepRewrites.rename(s, cpu, page, dev)).asJava();
        Option<Array<Step>> r = violatingPrefix(candidate);
        return r.isDefined() && better(r.get(), best) ? r.get() : best;
    }

    private Array<Step> simplifySteps(Array<Step> best) {
        for (int i = 0; i < best.size() && !outOfTime(); i++) {
            for (Step simpler : StepRewrites.simpler(best.get(i))) {
                Option<Array<Step>> r = violatingPrefix(best.update(i, simpler).asJava());
                if (r.isDefined() && better(r.get(), best)) {
                    best = r.get();
                    break;
                }
            }
        }
        return best;
    }
}
