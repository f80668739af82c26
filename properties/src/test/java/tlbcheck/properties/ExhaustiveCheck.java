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
public final class ExhaustiveCheck {

    private ExhaustiveCheck() {}

    static final List<Map<String, Object>> ROWS = java.util.Collections.synchronizedList(new ArrayList<>());
    static final Map<String, Integer> SHORTEST = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The most states exhaustive search stores for one variant in a default build: one to three minutes on 2 cores, and
     * 3.7 times the catalogue's largest small scope (V11, 2.7 million).
     */
    static final long SMALL_SCOPE_STATES = 10_000_000;

    /** The searches of the rows each variant is expected to hold, shared by those rows: one per variant and scope. */
    private static final Map<String, ExploreResult> HOLDING = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The scope exhaustive search explores: {@code -Dtlbcheck.exploreScope}, else {@code -Dtlbcheck.scope}, else
     * under {@code -Pdeep-hunt} and {@code -Pdeep-explore} {@link #reviewerScope}, else the variant's small scope.
     */
    static Scope scope(Variant variant) {
        return HuntSettings.get("tlbcheck.exploreScope").orElse(HuntSettings.get("tlbcheck.scope"))
                .map(text -> Scope.parse(text, variant.smallScope()))
                .getOrElse(() -> HuntSettings.deep() || HuntSettings.exploreOnly() ? reviewerScope(variant)
                        : variant.smallScope());
    }

    /**
     * "Holds in every interleaving of 2 CPUs, an SMMU, 2 pages and 3 frames": what a reviewer asks of a patch. The
     * SMMU only where the variant's small scope has one (the SVA variants): the KVM variants' rows are about the CPUs,
     * the vCPUs and stage 2, their small scopes have no SMMU, and one would multiply their states many times over.
     */
    public static Scope reviewerScope(Variant variant) {
        Scope small = variant.smallScope();
        return new Scope(2, Math.min(1, small.smmus()), Math.max(2, small.pages()), Math.max(3, small.frames()),
                small.range(), small.aliases(), small.writable());
    }

    static void check(Variant variant, Invariant invariant, String expected) {
        Scope scope = scope(variant);
        Model model = new Model(variant, scope);
        int depth = HuntSettings.get("tlbcheck.depth").map(Integer::parseInt).getOrElse(0);
        boolean large = HuntSettings.deep() || HuntSettings.exploreOnly();
        // Bounded by a count, so that whether a scope is too large does not depend on the machine: the time limit is a
        // safety net far above what the count takes.
        Explorer.Config config = Explorer.Config.defaults().withProgress(large ? 10 : 0).withMaxDepth(depth)
                .withMaxStates(SMALL_SCOPE_STATES).withSeconds(3600);
        if (large) config = config.withMaxStates(2_000_000_000L);
        ExploreResult r = explore(model, invariant, expected, config);
        System.out.printf("%s / %s in %s: %s in %.2fs (%.0f states/s, %.1f bytes/state, %.0f%% of transitions asleep, "
                        + "collision odds %.1e)%n", variant.name(), invariant.name(), scope, r.verdict(), r.seconds(),
                r.statesPerSecond(), r.bytesPerState(), 100.0 * r.slept() / Math.max(1, r.transitions()), r.collisionOdds());
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("variant", variant.name());
        row.put("row", variant.row());
        row.put("invariant", invariant.name());
        row.put("invariantNo", invariant.number());
        row.put("expected", expected);
        row.put("observed", r.observed());
        row.put("states", r.states());
        row.put("transitions", r.transitions());
        row.put("slept", r.slept());
        row.put("depth", r.depth());
        row.put("complete", r.complete());
        row.put("seconds", Math.round(r.seconds() * 1000) / 1000.0);
        row.put("statesPerSecond", Math.round(r.statesPerSecond()));
        row.put("shortestSteps", r.trace().map(t -> t.size()).getOrNull());
        row.put("bytesPerState", Math.round(r.bytesPerState() * 10) / 10.0);
        row.put("collisionOdds", r.collisionOdds());
        row.put("scope", scope.toString());
        ExploreResult shared = HOLDING.get(variant.name() + "@" + scope);
        row.put("sharedSearch", expected.equals(Expected.HOLDS) && shared != null && !shared.violated()
                ? shared.invariant().name() : null);
        row.put("deadlocks", r.deadlocks());
        ROWS.add(row);
        r.trace().forEach(t -> SHORTEST.put(variant.name() + "/" + invariant.name(), t.size()));

        assertEquals(expected, r.observed(), () -> variant.name() + " / " + invariant.name() + ": " + r.verdict()
                + r.trace().map(t -> "\n" + tlbcheck.report.Lanes.render(model, t) + r.violation().get()).getOrElse(""));
        assertEquals(0, r.deadlocks(), () -> variant.name() + ": " + r.deadlocks() + " reachable states where a procedure"
                + " in flight or a waiting device can never move again (a lock never released, a wait no step ends); the"
                + " first:\n" + tlbcheck.report.Lanes.render(model, r.deadlockTrace().get()));
        if (r.violated()) {
            Replay.Outcome replay = Replay.run(model, r.trace().get(), List.of(invariant));
            assertEquals(r.trace().get().size(), replay.transitions().size(), "the shortest trace violates at its last step");
            assertTrue(replay.violation().isDefined());
        } else if (depth == 0) {
            assertTrue(r.complete(), () -> "the scope " + scope + " must be explored completely: " + r.verdict()
                    + (r.stoppedBy().equals("states") ? "; it has more than " + String.format("%,d", SMALL_SCOPE_STATES)
                    + " states, the most a build explores: give " + variant.name() + " a smaller small scope (fewer CPUs,"
                    + " pages or frames), or search it under -Pdeep-explore" : ""));
        }
    }

    /**
     * A row expected to hold is answered by one search of the variant's space checking every holding row it
     * selects at once; if that search finds any of them violated, the row is searched alone.
     */
    private static ExploreResult explore(Model model, Invariant invariant, String expected, Explorer.Config config) {
        if (!expected.equals(Expected.HOLDS)) return Explorer.explore(model, invariant, config, System.out::println);
        Variant v = model.variant();
        io.vavr.collection.Array<Invariant> holding = tlbcheck.model.Catalogues.get().invariants()
                .filter(i -> HuntSettings.selected("tlbcheck.invariant", i.name(),
                        i.number() > 0 ? String.valueOf(i.number()) : i.name()))
                .filter(i -> Expected.verdict(v, i).contains(Expected.HOLDS));
        if (holding.size() < 2 || !holding.contains(invariant)) {
            return Explorer.explore(model, invariant, config, System.out::println);
        }
        ExploreResult all = HOLDING.computeIfAbsent(v.name() + "@" + model.scope(),
                k -> Explorer.explore(model, new AnyOf(holding), config, System.out::println));
        if (all.violated()) return Explorer.explore(model, invariant, config, System.out::println);
        return new ExploreResult(model, invariant, all.states(), all.transitions(), all.depth(), all.complete(),
                all.seconds(), all.trace(), all.violation(), all.stoppedBy(), all.bytesPerState(), all.collisionOdds(),
                all.deadlocks(), all.deadlockTrace(), all.slept());
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
