package tlbcheck.report;

import io.vavr.collection.Array;
import tlbcheck.model.Model;
import tlbcheck.model.State;
import tlbcheck.model.invariant.Violation;
import tlbcheck.model.step.Step;

/**
 * A counterexample as a Mermaid sequence diagram in Markdown, which code hosts render: one
 * participant per actor, one note per step, the changes each step made, and the violation last.
 */
public final class Mermaid {

    private Mermaid() {}

    public static String render(Model model, Array<Step> steps, Violation violation) {
        StringBuilder b = new StringBuilder();
        b.append("```mermaid\nsequenceDiagram\n");
        for (String actor : Lanes.actors(model)) b.append("    participant ").append(actor).append('\n');
        State s = model.initial();
        int i = 0;
        for (Step step : steps) {
            i++;
            State next = model.fire(s, step).after();
            b.append("    Note over ").append(step.actor()).append(": ").append(i).append(". ")
                    .append(escape(step.describe(model, s))).append('\n');
            Array<String> changes = StateDiff.changes(model, s, next).filter(c -> c.startsWith("PTE")
                    || c.contains("TLB") || c.startsWith("frame") || c.startsWith("stage 2") || c.startsWith("VMCS"));
            for (String c : changes) {
                String target = c.startsWith("SMMU") ? c.substring(0, c.indexOf(' ')) : c.startsWith("CPU")
                        ? c.substring(0, c.indexOf(' ')) : step.actor();
                if (!target.equals(step.actor())) {
                    b.append("    ").append(step.actor()).append("->>").append(target).append(": ").append(escape(c)).append('\n');
                }
            }
            s = next;
        }
        Array<String> actors = Lanes.actors(model);
        b.append("    Note over ").append(actors.head()).append(',').append(actors.last()).append(": VIOLATED ")
                .append(escape(violation.toString())).append('\n');
        b.append("```\n");
        return b.toString();
    }

    private static String escape(String s) {
        return s.replace(";", ",").replace("#", "no.").replace("->", " to ").replace(">", "&gt;");
    }
}
