package tlbcheck.model.invariant;

/**
 * A broken invariant: what a reviewer reads.
 *
 * @param explanation one sentence naming actors, pages and frames
 * @param evidence the offending part of the state after the step
 */
public record Violation(String invariant, int number, String explanation, String evidence) {

    @Override
    public String toString() {
        return "invariant " + number + " (" + invariant + ") violated: " + explanation;
    }
}
