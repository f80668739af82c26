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

    /**
     * This violation, if it is the rule's own: a rule that passes on another rule's violation (its check calling
     * {@code NoUseAfterFree.INSTANCE.check}) would be reported, and archived, under that rule's name and number.
     */
    public Violation of(Invariant rule) {
        if (!invariant.equals(rule.name()) || number != rule.number()) {
            throw new IllegalStateException("rule " + rule.name() + " (" + rule.number() + ") returned a violation of "
                    + invariant + " (" + number + "): build a rule's violations with its own violation(explanation,"
                    + " evidence), e.g. NoUseAfterFree.INSTANCE.check(model, t).map(v -> violation(v.explanation(),"
                    + " v.evidence()))");
        }
        return this;
    }
}
