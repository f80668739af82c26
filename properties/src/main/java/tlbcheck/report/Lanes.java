package tlbcheck.report;

import io.vavr.collection.Array;
import tlbcheck.model.Model;
import tlbcheck.model.State;
import tlbcheck.model.step.Step;

/**
 * A counterexample as plain-text lanes, one column per actor and one row per step, at most 72
 * columns wide so it pastes into a review mail. A step's text starts in its actor's lane and runs
 * to the right; a CPU's lane shows ':' while it is inside a procedure and '.' while it is not. A text too long for
 * the row is cut between two words with a note number, and the whole text is listed under the diagram.
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
        java.util.List<String> notes = new java.util.ArrayList<>();
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
            // A text that runs into the next lane hides the markers after it: one left standing would be read as
            // the next actor's, when it is the one after (newcomers misread three traces that way).
            if (line.length() <= at + lane && line.length() < row.length) {
                line = line + new String(row, line.length(), row.length - line.length());
            }
            line = line.stripTrailing();
            if (line.length() > WIDTH) {
                String mark = "~[" + (notes.size() + 1) + "]";
                // Cut between two words where one ends near the edge, so that no name is cut in half.
                int cut = WIDTH - mark.length();
                int space = line.lastIndexOf(' ', cut);
                if (space > Math.max(at, cut - 24)) cut = space;
                line = line.substring(0, cut).stripTrailing() + mark;
                notes.add(text);
            }
            out.append(line).append('\n');
            s = model.fire(s, step).after();
        }
        for (int n = 0; n < notes.size(); n++) {
            out.append(wrap("[" + (n + 1) + "] ", notes.get(n)));
        }
        return out.toString();
    }

    /** The text after a prefix, wrapped at spaces to {@link #WIDTH} columns, continuation lines indented. */
    private static String wrap(String prefix, String text) {
        StringBuilder out = new StringBuilder();
        String indent = " ".repeat(prefix.length());
        StringBuilder line = new StringBuilder(prefix);
        for (String word : text.split(" ")) {
            if (line.length() > indent.length() && line.length() + 1 + word.length() > WIDTH) {
                out.append(line.toString().stripTrailing()).append('\n');
                line = new StringBuilder(indent);
            }
            if (line.length() > indent.length() && !line.toString().endsWith(" ")) line.append(' ');
            line.append(word);
        }
        return out.append(line.toString().stripTrailing()).append('\n').toString();
    }

    private static String pad(String s, int width) {
        StringBuilder b = new StringBuilder(s);
        while (b.length() < width) b.append(' ');
        return b.toString();
    }
}
