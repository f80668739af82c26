package tlbcheck.archive;

import tlbcheck.model.State;
import tlbcheck.model.step.Step;

/** Short texts of steps and states for error messages. */
final class Steps {

    private Steps() {}

    static String text(Step step) {
        return step.toString().replace('[', '(').replace(']', ')');
    }

    static String summary(State s) {
        StringBuilder b = new StringBuilder();
        for (int p = 0; p < s.pages(); p++) {
            b.append("PTE p").append(p).append(' ').append(s.pte(p));
            for (int m = 0; m < s.smmus(); m++) b.append(", SMMU").append(m).append(' ').append(s.smmuTlb(m, p));
            b.append("; ");
        }
        return b.toString().trim();
    }
}
