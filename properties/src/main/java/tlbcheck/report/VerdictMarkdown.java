package tlbcheck.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * {@code verdicts.md}: a page a code host renders whole. A summary first (how many rows, which are
 * not as expected, which "holds" rest on few racy runs), then the hunt's matrix, the exhaustive
 * search's rows, and under each violating row its counterexample as lanes and as a Mermaid diagram.
 */
public final class VerdictMarkdown {

    /** A "holds" whose hunt reached the invariant's racy state fewer times than this is weak evidence. */
    public static final int WEAK_RACY_RUNS = 10;

    private VerdictMarkdown() {}

    public static String render(List<VerdictRow> rows, List<Map<String, Object>> exhaustive) {
        StringBuilder b = new StringBuilder("# tlbcheck verdicts\n\n");
        summary(b, rows, exhaustive);
        matrix(b, rows);
        exhaustive(b, exhaustive);
        counterexamples(b, rows);
        return b.toString();
    }

    private static void summary(StringBuilder b, List<VerdictRow> rows, List<Map<String, Object>> exhaustive) {
        List<VerdictRow> wrong = rows.stream().filter(r -> !r.asExpected()).toList();
        long violating = rows.stream().filter(VerdictRow::violated).count();
        List<VerdictRow> weak = rows.stream().filter(r -> !r.violated() && r.racyRuns() < WEAK_RACY_RUNS).toList();
        List<Map<String, Object>> exhaustiveWrong = exhaustive.stream()
                .filter(m -> m.get("expected") != null && !m.get("expected").equals(m.get("observed"))).toList();
        b.append("**").append(rows.size()).append(" rows hunted: ").append(rows.size() - wrong.size())
                .append(" as expected, ").append(wrong.size()).append(" not.** ").append(violating).append(" violate, ")
                .append(rows.size() - violating).append(" hold");
        rows.stream().map(VerdictRow::shard).filter(java.util.Objects::nonNull).findFirst()
                .ifPresent(s -> b.append(" (shard ").append(s).append(')'));
        b.append(".\n\n");
        for (VerdictRow r : wrong) {
            b.append("- NOT AS EXPECTED: ").append(name(r)).append(" ").append(r.observed()).append(", expected ")
                    .append(r.expected()).append(" (seed ").append(r.seed()).append(")\n");
        }
        if (!weak.isEmpty()) {
            b.append("- Weak \"holds\" (fewer than ").append(WEAK_RACY_RUNS).append(" runs reached the racy state): ");
            List<String> names = new ArrayList<>();
            for (VerdictRow r : weak) names.add(name(r) + " (" + r.racyRuns() + ")");
            b.append(String.join(", ", names)).append('\n');
        }
        if (!exhaustive.isEmpty()) {
            b.append("- Exhaustive search of the small scopes: ").append(exhaustive.size()).append(" rows, ")
                    .append(exhaustive.size() - exhaustiveWrong.size()).append(" as expected");
            if (!exhaustiveWrong.isEmpty()) {
                b.append(", NOT: ").append(String.join(", ", exhaustiveWrong.stream()
                        .map(m -> m.get("variant") + " / " + m.get("invariant")).toList()));
            }
            b.append('\n');
        }
        b.append('\n');
    }

    private static void matrix(StringBuilder b, List<VerdictRow> rows) {
        b.append("## Hunt\n\n");
        // "shrunk" is the hunt's own scope; the other length is the exhaustive row's, in the small scope, which may
        // have fewer CPUs (a longer trace) or fewer frames: side by side under one word, 7 and 19 read as a misprint.
        b.append("| row | variant | invariant | expected | observed | tries | steps | s | 1st try | shrunk"
                + " | small-scope shortest | racy runs | seed | counterexample |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (VerdictRow r : rows) {
            String observed = r.asExpected() ? r.observed() : "**" + r.observed() + "**";
            if (r.violated()) observed = "[" + observed + "](#" + anchor(r) + ")";
            b.append("| ").append(r.row()).append(" | ").append(r.variant()).append(" | ").append(r.invariantNo())
                    .append(' ').append(r.invariant()).append(" | ").append(dash(r.expected())).append(" | ")
                    .append(observed).append(" | ").append(r.tries()).append(" | ").append(r.steps()).append(" | ")
                    .append(r.seconds()).append(" | ").append(dash(r.firstViolationTry())).append(" | ")
                    .append(shrunk(r)).append(" | ").append(dash(r.shortestSteps())).append(" | ")
                    .append(r.racyRuns()).append(" | ").append(r.seed()).append(" | ").append(dash(r.counterexample()))
                    .append(" |\n");
        }
        b.append('\n');
    }

    /** The shrunk length, marked when breadth-first search of the hunt's scope showed it shortest. */
    static String shrunk(VerdictRow r) {
        if (r.shrunkSteps() == null) return "-";
        boolean shortest = tlbcheck.hunt.Shortest.PROVEN.equals(r.shrunkShortest())
                || tlbcheck.hunt.Shortest.FOUND.equals(r.shrunkShortest());
        return r.shrunkSteps() + (shortest ? " (shortest)" : "");
    }

    private static void exhaustive(StringBuilder b, List<Map<String, Object>> rows) {
        if (rows.isEmpty()) return;
        List<Map<String, Object>> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparingInt((Map<String, Object> m) -> VerdictMatrix.rowOrder(String.valueOf(m.get("row"))))
                .thenComparing(m -> String.valueOf(m.get("variant")))
                .thenComparingInt(m -> ((Number) m.get("invariantNo")).intValue()));
        b.append("## Exhaustive search (small scope)\n\n");
        b.append("| row | variant | invariant | scope | observed | states | transitions | depth | complete | shortest"
                + " | deadlocks | s |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Map<String, Object> m : sorted) {
            b.append('|');
            for (String key : List.of("row", "variant", "invariant", "scope", "observed", "states", "transitions", "depth",
                    "complete", "shortestSteps", "deadlocks", "seconds")) {
                Object value = key.equals("invariant") ? m.get("invariantNo") + " " + m.get("invariant") : m.get(key);
                b.append(' ').append(dash(value)).append(" |");
            }
            b.append('\n');
        }
        b.append('\n');
    }

    private static void counterexamples(StringBuilder b, List<VerdictRow> rows) {
        List<VerdictRow> violating = rows.stream().filter(VerdictRow::violated).toList();
        if (violating.isEmpty()) return;
        b.append("## Counterexamples\n\n");
        for (VerdictRow r : violating) {
            b.append("### ").append(name(r)).append("\n\n");
            b.append(r.observed()).append(", expected ").append(dash(r.expected())).append("; found in try ")
                    .append(dash(r.firstViolationTry())).append(", shrunk to ").append(dash(r.shrunkSteps()))
                    .append(" steps");
            if (r.shrunkShortest() != null) b.append(", ").append(r.shrunkShortest()).append(" in the hunt's scope");
            b.append("; seed ").append(r.seed());
            if (r.counterexample() != null) b.append("; file `").append(r.counterexample()).append('`');
            b.append(".\n\n");
            if (r.lanes() != null) b.append("```text\n").append(r.lanes()).append(r.lanes().endsWith("\n") ? "" : "\n")
                    .append("```\n\n");
            if (r.mermaid() != null) b.append(r.mermaid()).append(r.mermaid().endsWith("\n") ? "" : "\n").append('\n');
        }
    }

    private static String name(VerdictRow r) {
        return r.row() + " " + r.variant() + " / " + r.invariantNo() + " " + r.invariant();
    }

    /** The id a code host gives the heading {@code ### name(r)}: lower case, spaces to '-', punctuation dropped. */
    static String anchor(VerdictRow r) {
        return name(r).toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9 _-]", "").replace(' ', '-');
    }

    private static String dash(Object o) {
        return o == null ? "-" : o.toString();
    }
}
