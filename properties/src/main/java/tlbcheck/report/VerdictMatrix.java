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
        String lanes = r.shrunk().map(s -> Lanes.render(r.model(), s.steps()) + s.violation() + "\n").getOrNull();
        String mermaid = r.shrunk().map(s -> Mermaid.render(r.model(), s.steps(), s.violation())).getOrNull();
        return new VerdictRow(r.model().variant().name(), r.model().variant().row(), r.invariant().name(),
                r.invariant().number(), expected, r.observed(), r.tries(), r.steps(), round(r.seconds()),
                r.violated() ? r.firstViolationTry() : null, r.violated() ? round(r.secondsToViolation()) : null,
                r.shrunk().map(s -> s.steps().size()).getOrNull(), null, r.shrunk().map(s -> s.shortest()).getOrNull(),
                Long.toString(r.seed()), null, r.racyRuns(),
                r.invariant().racyState(), mirrorRatio(r.invariant().number(), r.flushes(), r.secondaryInvalidations()),
                r.flushes(), r.secondaryInvalidations(), Math.round(r.stepsPerSecond()), r.stoppedBy(), null, kinds,
                lanes, mermaid);
    }

    /** Invariant 7's secondary invalidations per CPU flush; null for the other invariants. */
    static Double mirrorRatio(int invariantNo, long flushes, long secondary) {
        if (invariantNo != 7) return null;
        return round(flushes == 0 ? (secondary == 0 ? 1.0 : Double.POSITIVE_INFINITY) : (double) secondary / flushes);
    }

    static double round(double d) {
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

    static int rowOrder(String row) {
        return row != null && row.matches("V\\d+") ? Integer.parseInt(row.substring(1)) : 1000;
    }

    /** {@code verdicts.json} and {@code verdicts.md}, the Markdown with the exhaustive search's rows too. */
    public void write(Path dir, List<Map<String, Object>> exhaustive) {
        write(dir, rows(), exhaustive);
    }

    public void write(Path dir) {
        write(dir, List.of());
    }

    public static void write(Path dir, List<VerdictRow> rows, List<Map<String, Object>> exhaustive) {
        try {
            Files.createDirectories(dir);
            ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            json.writeValue(dir.resolve("verdicts.json").toFile(), Map.of("rows", rows));
            Files.writeString(dir.resolve("verdicts.md"), VerdictMarkdown.render(rows, exhaustive));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the verdict matrix to " + dir, e);
        }
    }

    public String markdown() {
        return VerdictMarkdown.render(rows(), List.of());
    }

    public static void writeExhaustive(Path dir, List<Map<String, Object>> rows) {
        try {
            Files.createDirectories(dir);
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValue(dir.resolve("exhaustive.json").toFile(), Map.of("rows", rows));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve("exhaustive.json"), e);
        }
    }

    /** The rows of an {@code exhaustive.json}, as written beside {@code verdicts.json}. */
    public static List<Map<String, Object>> readExhaustive(Path file) {
        try {
            Map<?, ?> top = new ObjectMapper().readValue(file.toFile(), Map.class);
            List<Map<String, Object>> out = new ArrayList<>();
            if (top.get("rows") instanceof List<?> l) {
                for (Object o : l) {
                    if (o instanceof Map<?, ?> m) {
                        Map<String, Object> row = new java.util.LinkedHashMap<>();
                        m.forEach((k, v) -> row.put(String.valueOf(k), v));
                        out.add(row);
                    }
                }
                return out;
            }
            throw new IllegalArgumentException(file + ": no \"rows\"; is it an exhaustive.json?");
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": not an exhaustive.json (" + e.getMessage().lines().findFirst()
                    .orElse("") + ")", e);
        }
    }

}
