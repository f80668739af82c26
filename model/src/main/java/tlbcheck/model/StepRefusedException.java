package tlbcheck.model;

import tlbcheck.model.step.Step;

/** A step was asked for in a state where it is not enabled. */
public final class StepRefusedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final transient Step step;
    private final String reason;

    public StepRefusedException(Step step, String reason) {
        super(step + " is not enabled: " + reason);
        this.step = step;
        this.reason = reason;
    }

    public Step step() {
        return step;
    }

    public String reason() {
        return reason;
    }
}
