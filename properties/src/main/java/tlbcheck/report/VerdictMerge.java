package tlbcheck.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Combines the verdict matrices of hunt shards ({@code -Dtlbcheck.shard=K/N}, one per CI job) into one: a
 * violation in any shard is a violation, tries, steps and racy runs add up, and the reported
 * counterexample is the one of the earliest violating try.
 */
public final class VerdictMerge {

    private VerdictMerge() {}

    public static VerdictMatrix merge(List<Path> files) {
        ObjectMapper json = new ObjectMapper();
        Map<String, VerdictRow> merged = new LinkedHashMap<>();
        for (Path f : files) {
            JsonNode tree;
            try {
                tree = json.readTree(f.toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(f + ": not a verdicts.json (" + e.getMessage() + ")", e);
            }
            if (tree == null || !tree.has("rows")) {
                throw new IllegalArgumentException(f + ": not a verdicts.json (no 'rows')");
            }
            for (JsonNode node : tree.get("rows")) {
                VerdictRow r;
                try {
                    r = json.treeToValue(node, VerdictRow.class);
                } catch (IOException e) {
                    throw new UncheckedIOException(f + ": a row does not read as a verdict row: " + e.getMessage(), e);
                }
                merged.merge(r.variant() + "\u0000" + r.invariant(), r, VerdictMerge::combine);
            }
        }
        VerdictMatrix out = new VerdictMatrix();
        for (VerdictRow r : merged.values()) out.add(r);
        return out;
    }

    static VerdictRow combine(VerdictRow a, VerdictRow b) {
        boolean av = "violates".equals(a.observed());
        boolean bv = "violates".equals(b.observed());
        VerdictRow first = !bv || av && a.firstViolationTry() <= b.firstViolationTry() ? a : b;
        Map<String, Long> kinds = new LinkedHashMap<>(a.stepKinds() == null ? Map.of() : a.stepKinds());
        if (b.stepKinds() != null) b.stepKinds().forEach((k, v) -> kinds.merge(k, v, Long::sum));
        long steps = a.steps() + b.steps();
        double seconds = Math.max(a.seconds(), b.seconds());
        String stoppedBy = "time".equals(a.stoppedBy()) || "time".equals(b.stoppedBy()) ? "time"
                : av || bv ? "violation" : "tries";
        return new VerdictRow(a.variant(), a.row(), a.invariant(), a.invariantNo(), a.expected(),
                av || bv ? "violates" : "holds", a.tries() + b.tries(), steps, seconds, first.firstViolationTry(),
                first.secondsToViolation(), first.shrunkSteps(),
                a.shortestSteps() != null ? a.shortestSteps() : b.shortestSteps(), first.seed(),
                first.counterexample() != null ? first.counterexample() : a.counterexample() != null ? a.counterexample()
                        : b.counterexample(),
                a.racyRuns() + b.racyRuns(), a.racyState(),
                first.mirrorRatio(), seconds > 0 ? Math.round(steps / seconds) : 0, stoppedBy, kinds);
    }

    /** The files given, in order, as a list (for callers with arrays). */
    public static List<Path> paths(List<String> names) {
        List<Path> out = new ArrayList<>();
        for (String n : names) {
            Path p = Path.of(n);
            if (!Files.isRegularFile(p)) throw new IllegalArgumentException("no such file: " + p);
            out.add(p);
        }
        return out;
    }
}
