package tlbcheck.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import tlbcheck.hunt.HuntResult;

/** The verdict matrix: {@code verdicts.json} for tools and {@code verdicts.md} for people. */
public final class VerdictMatrix {

    private final List<VerdictRow> rows = new ArrayList<>();

    public static VerdictRow row(HuntResult r, String expected) {
        Map<String, Long> kinds = r.stepKinds().toJavaMap(java.util.LinkedHashMap::new, t -> t);
        return new VerdictRow(r.model().variant().name(), r.model().variant().row(), r.invariant().name(),
                r.invariant().number(), expected, r.observed(), r.tries(), r.steps(), round(r.seconds()),
                r.violated() ? r.firstViolationTry() : null, r.violated() ? round(r.secondsToViolation()) : null,
                r.shrunk().map(s -> s.steps().size()).getOrNull(), null, Long.toString(r.seed()), null, r.racyRuns(),
                r.invariant().racyState(), r.invariant().number() == 7 ? round(r.mirrorRatio()) : null,
                Math.round(r.stepsPerSecond()), r.stoppedBy(), kinds);
    }

    private static double round(double d) {
        return Double.isFinite(d) ? Math.round(d * 1000) / 1000.0 : -1;
    }

    /** The matrix with each row's shortest counterexample length, keyed "variant/invariant". */
    public synchronized VerdictMatrix withShortest(Map<String, Integer> shortest) {
        VerdictMatrix m = new VerdictMatrix();
        for (VerdictRow r : rows) m.add(r.withShortestSteps(shortest.get(r.variant() + "/" + r.invariant())));
        return m;
    }

    public synchronized void add(VerdictRow row) {
        rows.add(row);
    }

    public synchronized List<VerdictRow> rows() {
        List<VerdictRow> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparing((VerdictRow r) -> rowOrder(r.row())).thenComparing(VerdictRow::variant)
                .thenComparingInt(VerdictRow::invariantNo));
        return sorted;
    }

    private static int rowOrder(String row) {
        return row.matches("V\\d+") ? Integer.parseInt(row.substring(1)) : 1000;
    }

    public void write(Path dir) {
        try {
            Files.createDirectories(dir);
            ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            json.writeValue(dir.resolve("verdicts.json").toFile(), Map.of("rows", rows()));
            Files.writeString(dir.resolve("verdicts.md"), markdown());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the verdict matrix to " + dir, e);
        }
    }

    public String markdown() {
        StringBuilder b = new StringBuilder("# tlbcheck verdicts\n\n");
        b.append("| row | variant | invariant | expected | observed | tries | steps | s | 1st try | shrunk | shortest"
                + " | racy runs | seed | counterexample |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (VerdictRow r : rows()) {
            b.append("| ").append(r.row()).append(" | ").append(r.variant()).append(" | ").append(r.invariantNo())
                    .append(' ').append(r.invariant()).append(" | ").append(r.expected()).append(" | ")
                    .append(r.expected() != null && !r.expected().equals(r.observed()) ? "**" + r.observed() + "**" : r.observed())
                    .append(" | ").append(r.tries()).append(" | ").append(r.steps()).append(" | ").append(r.seconds())
                    .append(" | ").append(dash(r.firstViolationTry())).append(" | ").append(dash(r.shrunkSteps()))
                    .append(" | ").append(dash(r.shortestSteps())).append(" | ").append(r.racyRuns()).append(" | ")
                    .append(r.seed()).append(" | ").append(dash(r.counterexample())).append(" |\n");
        }
        return b.toString();
    }

    private static String dash(Object o) {
        return o == null ? "-" : o.toString();
    }
}
