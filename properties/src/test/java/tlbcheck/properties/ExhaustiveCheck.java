package tlbcheck.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tlbcheck.explore.ExploreResult;
import tlbcheck.explore.Explorer;
import tlbcheck.model.Model;
import tlbcheck.model.Replay;
import tlbcheck.model.Scope;
import tlbcheck.model.Variant;
import tlbcheck.model.invariant.Invariant;

/**
 * Exhaustive mode: every row of the catalogue explored completely in its small scope, beside its hunt. The verdict
 * must equal the expected one (and so the hunt's), a violation comes with a shortest trace that
 * replays, and a hold comes with "exhaustive". Writes {@code exhaustive.json}.
 */
final class ExhaustiveCheck {

    private ExhaustiveCheck() {}

    static final List<Map<String, Object>> ROWS = java.util.Collections.synchronizedList(new ArrayList<>());
    static final Map<String, Integer> SHORTEST = new java.util.concurrent.ConcurrentHashMap<>();

    static void check(Variant variant, Invariant invariant, String expected) {
        Scope scope = HuntSettings.get("tlbcheck.scope").map(Scope::parse).getOrElse(variant.smallScope());
        Model model = new Model(variant, scope);
        int depth = HuntSettings.get("tlbcheck.depth").map(Integer::parseInt).getOrElse(0);
        Explorer.Config config = Explorer.Config.defaults().withProgress(HuntSettings.deep() ? 10 : 0).withMaxDepth(depth);
        ExploreResult r = Explorer.explore(model, invariant, config, System.out::println);
        System.out.printf("%s / %s: %s in %.2fs (%.0f states/s, %.1f bytes/state, collision odds %.1e)%n",
                variant.name(), invariant.name(), r.verdict(), r.seconds(), r.statesPerSecond(), r.bytesPerState(),
                r.collisionOdds());
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("variant", variant.name());
        row.put("row", variant.row());
        row.put("invariant", invariant.name());
        row.put("invariantNo", invariant.number());
        row.put("expected", expected);
        row.put("observed", r.observed());
        row.put("states", r.states());
        row.put("transitions", r.transitions());
        row.put("depth", r.depth());
        row.put("complete", r.complete());
        row.put("seconds", Math.round(r.seconds() * 1000) / 1000.0);
        row.put("statesPerSecond", Math.round(r.statesPerSecond()));
        row.put("shortestSteps", r.trace().map(t -> t.size()).getOrNull());
        row.put("bytesPerState", Math.round(r.bytesPerState() * 10) / 10.0);
        row.put("collisionOdds", r.collisionOdds());
        row.put("scope", scope.toString());
        row.put("deadlocks", r.deadlocks());
        ROWS.add(row);
        r.trace().forEach(t -> SHORTEST.put(variant.name() + "/" + invariant.name(), t.size()));

        assertEquals(expected, r.observed(), () -> variant.name() + " / " + invariant.name() + ": " + r.verdict()
                + r.trace().map(t -> "\n" + tlbcheck.report.Lanes.render(model, t) + r.violation().get()).getOrElse(""));
        assertEquals(0, r.deadlocks(), () -> variant.name() + ": " + r.deadlocks() + " reachable states where nothing can"
                + " move; the first:\n" + tlbcheck.report.Lanes.render(model, r.deadlockTrace().get()));
        if (r.violated()) {
            Replay.Outcome replay = Replay.run(model, r.trace().get(), List.of(invariant));
            assertEquals(r.trace().get().size(), replay.transitions().size(), "the shortest trace violates at its last step");
            assertTrue(replay.violation().isDefined());
        } else if (depth == 0) {
            assertTrue(r.complete(), () -> "the small scope must be explored completely: " + r.verdict());
        }
    }

    static void write(Path out) {
        try {
            writeRows(out);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** This run's rows, by variant and invariant. */
    static List<Map<String, Object>> rows() {
        List<Map<String, Object>> rows = new ArrayList<>(ROWS);
        rows.sort(java.util.Comparator.comparing((Map<String, Object> m) -> (String) m.get("variant"))
                .thenComparing(m -> (Integer) m.get("invariantNo")));
        return rows;
    }

    private static void writeRows(Path out) throws java.io.IOException {
        Files.createDirectories(out);
        List<Map<String, Object>> rows = rows();
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(out.resolve("exhaustive.json").toFile(), Map.of("rows", rows));
    }
}
