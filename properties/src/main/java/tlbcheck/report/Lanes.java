package tlbcheck.report;

import io.vavr.collection.Array;
import tlbcheck.model.Model;
import tlbcheck.model.State;
import tlbcheck.model.step.Step;

/**
 * A counterexample as plain-text lanes, one column per actor and one row per step, at most 72
 * columns wide so it pastes into a review mail. A step's text starts in its actor's lane and runs
 * to the right; a CPU's lane shows ':' while it is inside a procedure.
 */
public final class Lanes {

    public static final int WIDTH = 72;
    private static final int NUMBER = 4;

    private Lanes() {}

    public static Array<String> actors(Model model) {
        Array<String> out = Array.empty();
        for (int c = 0; c < model.scope().cpus(); c++) out = out.append("CPU" + c);
        for (int m = 0; m < model.scope().smmus(); m++) out = out.append("SMMU" + m);
        for (int d = 0; d < model.scope().smmus(); d++) out = out.append("DEV" + d);
        return out;
    }

    public static String render(Model model, Array<Step> steps) {
        Array<String> actors = actors(model);
        int lane = Math.max(7, Math.min(12, (WIDTH - NUMBER) / actors.size()));
        StringBuilder out = new StringBuilder();
        StringBuilder head = new StringBuilder(pad("#", NUMBER));
        for (String a : actors) head.append(pad(a, lane));
        out.append(head.toString().stripTrailing()).append('\n');
        State s = model.initial();
        int i = 0;
        for (Step step : steps) {
            i++;
            char[] row = new char[NUMBER + lane * actors.size()];
            java.util.Arrays.fill(row, ' ');
            String num = Integer.toString(i);
            num.getChars(0, num.length(), row, NUMBER - 1 - num.length());
            for (int a = 0; a < actors.size(); a++) {
                boolean busy = a < model.scope().cpus() && s.running(a).isDefined();
                row[NUMBER + a * lane] = busy ? ':' : '.';
            }
            int at = NUMBER + actors.indexOf(step.actor()) * lane;
            String text = step.describe(model, s);
            String line = new String(row, 0, at) + text + " ";
            if (line.length() < row.length) line = line + new String(row, line.length(), row.length - line.length());
            line = line.stripTrailing();
            if (line.length() > WIDTH) line = line.substring(0, WIDTH - 1) + "~";
            out.append(line).append('\n');
            s = model.fire(s, step).after();
        }
        return out.toString();
    }

    private static String pad(String s, int width) {
        StringBuilder b = new StringBuilder(s);
        while (b.length() < width) b.append(' ');
        return b.toString();
    }
}
