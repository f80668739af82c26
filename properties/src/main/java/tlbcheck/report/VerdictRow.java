package tlbcheck.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/**
 * One (variant, invariant) row of the verdict matrix.
 *
 * @param shard {@code K/N} when the row is one shard's part of a hunt, the shards merged ({@code 1-N/N}), or null
 * @param flushes CPU TLB flushes by the procedures the hunt completed (with {@code secondaryInvalidations}, the
 *                invariant 7 ratio, kept as counts so shards add up)
 * @param lanes the shrunk counterexample as lanes with its violation, when the row violates
 * @param mermaid the same as a Mermaid sequence diagram, when the row violates
 * @param shrunkShortest whether breadth-first search of the hunt's scope proved the shrunk trace shortest, found a
 *                shorter one (which the row then carries), or stopped at its state bound first
 * @param shortestSteps the length of the shortest trace exhaustive search found in its own (smaller) scope
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"variant", "row", "invariant", "invariantNo", "expected", "observed", "tries", "steps", "seconds",
        "firstViolationTry", "secondsToViolation", "shrunkSteps", "shortestSteps", "shrunkShortest", "seed", "counterexample",
        "racyRuns", "racyState", "mirrorRatio", "flushes", "secondaryInvalidations", "stepsPerSecond", "stoppedBy",
        "shard", "stepKinds", "lanes", "mermaid"})
public record VerdictRow(String variant, String row, String invariant, int invariantNo, String expected, String observed,
                         int tries, long steps, double seconds, Integer firstViolationTry, Double secondsToViolation,
                         Integer shrunkSteps, Integer shortestSteps, String shrunkShortest, String seed, String counterexample, int racyRuns,
                         String racyState, Double mirrorRatio, long flushes, long secondaryInvalidations,
                         long stepsPerSecond, String stoppedBy, String shard, Map<String, Long> stepKinds,
                         String lanes, String mermaid) {

    public boolean violated() {
        return "violates".equals(observed);
    }

    public boolean asExpected() {
        return expected == null || expected.equals(observed);
    }

    public VerdictRow withCounterexample(String path) {
        return new VerdictRow(variant, row, invariant, invariantNo, expected, observed, tries, steps, seconds,
                firstViolationTry, secondsToViolation, shrunkSteps, shortestSteps, shrunkShortest, seed, path, racyRuns, racyState,
                mirrorRatio, flushes, secondaryInvalidations, stepsPerSecond, stoppedBy, shard, stepKinds, lanes, mermaid);
    }

    public VerdictRow withShortestSteps(Integer shortest) {
        return new VerdictRow(variant, row, invariant, invariantNo, expected, observed, tries, steps, seconds,
                firstViolationTry, secondsToViolation, shrunkSteps, shortest, shrunkShortest, seed, counterexample, racyRuns, racyState,
                mirrorRatio, flushes, secondaryInvalidations, stepsPerSecond, stoppedBy, shard, stepKinds, lanes, mermaid);
    }

    public VerdictRow withShard(String newShard) {
        return new VerdictRow(variant, row, invariant, invariantNo, expected, observed, tries, steps, seconds,
                firstViolationTry, secondsToViolation, shrunkSteps, shortestSteps, shrunkShortest, seed, counterexample, racyRuns, racyState,
                mirrorRatio, flushes, secondaryInvalidations, stepsPerSecond, stoppedBy, newShard, stepKinds, lanes, mermaid);
    }
}
