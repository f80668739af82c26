package tlbcheck.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/** One (variant, invariant) row of the verdict matrix. */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"variant", "row", "invariant", "invariantNo", "expected", "observed", "tries", "steps", "seconds",
        "firstViolationTry", "secondsToViolation", "shrunkSteps", "shortestSteps", "seed", "counterexample",
        "racyRuns", "racyState", "mirrorRatio", "stepsPerSecond", "stoppedBy", "stepKinds"})
public record VerdictRow(String variant, String row, String invariant, int invariantNo, String expected, String observed,
                         int tries, long steps, double seconds, Integer firstViolationTry, Double secondsToViolation,
                         Integer shrunkSteps, Integer shortestSteps, String seed, String counterexample, int racyRuns,
                         String racyState, Double mirrorRatio, long stepsPerSecond, String stoppedBy,
                         Map<String, Long> stepKinds) {

    public VerdictRow withCounterexample(String path) {
        return new VerdictRow(variant, row, invariant, invariantNo, expected, observed, tries, steps, seconds,
                firstViolationTry, secondsToViolation, shrunkSteps, shortestSteps, seed, path, racyRuns, racyState,
                mirrorRatio, stepsPerSecond, stoppedBy, stepKinds);
    }

    public VerdictRow withShortestSteps(Integer shortest) {
        return new VerdictRow(variant, row, invariant, invariantNo, expected, observed, tries, steps, seconds,
                firstViolationTry, secondsToViolation, shrunkSteps, shortest, seed, counterexample, racyRuns, racyState,
                mirrorRatio, stepsPerSecond, stoppedBy, stepKinds);
    }
}
