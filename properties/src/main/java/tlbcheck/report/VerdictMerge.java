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
 * violation in any shard is a violation, tries, steps, racy runs and flush counts add up, seconds are
 * the slowest shard's (they ran side by side), and the reported counterexample is the one of the
 * earliest violating try, which an unsharded run over the same seeds finds first.
 */
public final class VerdictMerge {

    private VerdictMerge() {}

    public static VerdictMatrix merge(List<Path> files) {
        ObjectMapper json = new ObjectMapper();
        Map<String, List<VerdictRow>> byRow = new LinkedHashMap<>();
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
                byRow.computeIfAbsent(r.variant() + " / " + r.invariant(), k -> new ArrayList<>()).add(r);
            }
        }
        VerdictMatrix out = new VerdictMatrix();
        byRow.forEach((name, rows) -> {
            int shards = checkShards(name, rows);
            VerdictRow merged = rows.stream().reduce(VerdictMerge::combine).get();
            out.add(shards > 1 ? merged.withShard("1.." + shards + "/" + shards) : merged);
        });
        return out;
    }

    /**
     * The shard count of a row's pieces, refusing a set that is not shards 1..N of one split exactly once
     * (a missing shard would pass its tries off as searched, a repeated one would count them twice).
     * Rows without a shard (runs written before shards were recorded) are taken as given.
     */
    static int checkShards(String name, List<VerdictRow> rows) {
        java.util.TreeSet<Integer> seen = new java.util.TreeSet<>();
        int count = 0;
        for (VerdictRow r : rows) {
            if (r.shard() == null) return 0;
            String[] kn = r.shard().split("/");
            int k;
            int n;
            try {
                k = Integer.parseInt(kn[0]);
                n = Integer.parseInt(kn[1]);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(name + ": shard '" + r.shard() + "' is not K/N (already merged?)", e);
            }
            if (count != 0 && n != count) {
                throw new IllegalArgumentException(name + ": shards of a " + count + "-way and a " + n + "-way split mixed");
            }
            count = n;
            if (!seen.add(k)) throw new IllegalArgumentException(name + ": shard " + r.shard() + " given twice");
        }
        if (seen.size() != count) {
            List<Integer> missing = new ArrayList<>();
            for (int k = 1; k <= count; k++) if (!seen.contains(k)) missing.add(k);
            throw new IllegalArgumentException(name + ": shard " + missing + " of " + count
                    + " missing; a merged matrix needs every shard");
        }
        return count;
    }

    /** The exhaustive search's rows from an {@code exhaustive.json} beside any of the files (shard 1 writes them). */
    public static List<Map<String, Object>> exhaustive(List<Path> files) {
        Map<String, Map<String, Object>> rows = new LinkedHashMap<>();
        for (Path f : files) {
            Path beside = f.resolveSibling("exhaustive.json");
            if (!Files.isRegularFile(beside)) continue;
            for (Map<String, Object> row : VerdictMatrix.readExhaustive(beside)) {
                rows.putIfAbsent(row.get("variant") + " / " + row.get("invariant"), row);
            }
        }
        return new ArrayList<>(rows.values());
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
        long flushes = a.flushes() + b.flushes();
        long secondary = a.secondaryInvalidations() + b.secondaryInvalidations();
        return new VerdictRow(a.variant(), a.row(), a.invariant(), a.invariantNo(), a.expected(),
                av || bv ? "violates" : "holds", a.tries() + b.tries(), steps, seconds, first.firstViolationTry(),
                first.secondsToViolation(), first.shrunkSteps(),
                a.shortestSteps() != null ? a.shortestSteps() : b.shortestSteps(), first.shrunkShortest(), first.seed(),
                first.counterexample() != null ? first.counterexample() : a.counterexample() != null ? a.counterexample()
                        : b.counterexample(),
                a.racyRuns() + b.racyRuns(), a.racyState(),
                VerdictMatrix.mirrorRatio(a.invariantNo(), flushes, secondary), flushes, secondary,
                seconds > 0 ? Math.round(steps / seconds) : 0, stoppedBy, a.shard(), kinds, first.lanes(),
                first.mermaid());
    }

    /** The files given, in order; a directory stands for the verdicts.json in it. */
    public static List<Path> paths(List<String> names) {
        List<Path> out = new ArrayList<>();
        for (String n : names) {
            Path p = Path.of(n);
            if (Files.isDirectory(p)) p = p.resolve("verdicts.json");
            if (!Files.isRegularFile(p)) throw new IllegalArgumentException("no such file: " + p);
            out.add(p);
        }
        return out;
    }
}
