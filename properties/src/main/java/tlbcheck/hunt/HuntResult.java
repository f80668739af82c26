package tlbcheck.hunt;

import io.vavr.collection.Array;
import io.vavr.collection.LinkedHashMap;
import io.vavr.control.Option;
import tlbcheck.model.Model;
import tlbcheck.model.invariant.Invariant;

/**
 * What one property's hunt found, kept apart from any expectation of it (grading is the test
 * suite's business).
 *
 * @param seed the seed that reproduces the failing walk as try 0, or the hunt's seed when it held
 * @param firstViolationTry 1-based try that first violated, 0 when none did
 * @param secondsToViolation from property start to the first violation (before shrinking)
 * @param walk the failing walk as generated, empty when none
 * @param shrunk the shrunk counterexample, when one was found
 * @param stepKinds how often each kind of step ran
 * @param racyRuns walks that reached the invariant's racy state
 * @param flushes CPU TLB flushes by completed procedures (for the invariant 7 ratio)
 * @param secondaryInvalidations secondary invalidations by completed procedures
 * @param stoppedBy "tries", "time" or "violation"
 */
public record HuntResult(Model model, Invariant invariant, boolean violated, int tries, long steps, double seconds,
                         int firstViolationTry, double secondsToViolation, long seed, Array<tlbcheck.model.step.Step> walk,
                         Option<Shrinker.Result> shrunk, LinkedHashMap<String, Long> stepKinds, int racyRuns,
                         long flushes, long secondaryInvalidations, String stoppedBy) {

    public String observed() {
        return violated ? "violates" : "holds";
    }

    public double stepsPerSecond() {
        return seconds > 0 ? steps / seconds : 0;
    }

    /** Secondary invalidations per CPU flush, over every procedure the hunt completed. */
    public double mirrorRatio() {
        return flushes == 0 ? (secondaryInvalidations == 0 ? 1.0 : Double.POSITIVE_INFINITY)
                : (double) secondaryInvalidations / flushes;
    }
}
