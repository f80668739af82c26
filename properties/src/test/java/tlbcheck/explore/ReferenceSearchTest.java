package tlbcheck.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tlbcheck.model.Catalogues;
import tlbcheck.model.Model;
import tlbcheck.model.State;
import tlbcheck.model.Transition;
import tlbcheck.model.Variant;
import tlbcheck.model.invariant.Invariant;
import tlbcheck.model.invariant.Invariants;
import tlbcheck.model.step.Step;

/**
 * The explorer against a search with nothing of its own: breadth-first over the model's {@code State} values in a
 * {@code HashSet}, no packing, no fingerprints, no renaming, no sleep sets, no threads. To the same depth, in every
 * catalogued variant's small scope, both store the same number of distinct states (the explorer unreduced), and for
 * every invariant that applies both find the first violation at the same depth, or none (the explorer with its
 * reductions too). The agreement tests compare the explorer with itself under other settings; a mistake every setting
 * shares, in the level loop, the expansion or the codec, shows only against a search like this one.
 */
class ReferenceSearchTest {

    /**
     * Shallow enough for a {@code HashSet} of states and a second or two a variant; five catalogued rows violate this
     * near. {@code -Dtlbcheck.referenceDepth=8} searches deeper (3.5 minutes on 2 cores; 14 takes over 10).
     */
    static int depth(String setting) {
        if (setting.isBlank()) return 6;
        try {
            int d = Integer.parseInt(setting.trim());
            if (d >= 1) return d;
        } catch (NumberFormatException e) {
            // the message below says what is accepted
        }
        throw new IllegalArgumentException("-Dtlbcheck.referenceDepth=" + setting
                + " is not accepted; it takes a number of steps of 1 or more (6 when not given)");
    }

    static Stream<Variant> variants() {
        return Catalogues.get().variants().toJavaStream();
    }

    @Test
    void aDepthThatIsNotANumberOfStepsIsRefused() {
        assertEquals(6, depth(""));
        assertEquals(8, depth("8"));
        for (String bad : List.of("0", "-2", "eight")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> depth(bad));
            assertEquals("-Dtlbcheck.referenceDepth=" + bad + " is not accepted; it takes a number of steps of 1 or more"
                    + " (6 when not given)", e.getMessage());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void theExplorerAgreesWithAPlainSearchOfTheStates(Variant variant) {
        int depthBound = depth(System.getProperty("tlbcheck.referenceDepth", ""));
        Model model = new Model(variant);
        List<Invariant> invariants = Invariants.all().filter(i -> i.appliesTo(model)).asJava();
        Map<String, Integer> firstViolation = new HashMap<>();
        Set<State> seen = new HashSet<>();
        List<State> level = List.of(model.initial());
        seen.add(model.initial());
        Step[] steps = model.candidates().toJavaArray(Step[]::new);
        for (int depth = 1; depth <= depthBound && !level.isEmpty(); depth++) {
            List<State> next = new ArrayList<>();
            for (State s : level) {
                for (Step step : steps) {
                    if (!step.enabled(model, s)) continue;
                    Transition t = step.fire(model, s);
                    for (Invariant i : invariants) {
                        if (!firstViolation.containsKey(i.name()) && i.check(model, t).isDefined()) firstViolation.put(i.name(), depth);
                    }
                    if (seen.add(t.after())) next.add(t.after());
                }
            }
            level = next;
        }
        // The unreduced search counts states once per variant, with an invariant that holds to that depth (the count
        // is the same for every such invariant), and runs again for every violation, to compare where it is.
        Invariant counted = invariants.stream().filter(i -> !firstViolation.containsKey(i.name())).findFirst().orElse(null);
        for (Invariant i : invariants) {
            String where = variant.name() + " / " + i.name() + " to depth " + depthBound + ": ";
            Integer expected = firstViolation.get(i.name());
            List<Explorer.Config> configs = i == counted || expected != null
                    ? List.of(Explorer.Config.defaults().withSymmetry(Symmetry.NONE).withSleepSets(false), Explorer.Config.defaults())
                    : List.of(Explorer.Config.defaults());
            for (Explorer.Config config : configs) {
                ExploreResult r = Explorer.explore(model, i, config.withMaxDepth(depthBound).withThreads(2));
                String how = where + config.symmetry() + (config.sleepSets() ? ", sleep sets" : "") + ": ";
                assertEquals(expected != null, r.violated(), how + "violated");
                if (expected != null) {
                    assertEquals(expected, r.trace().get().size(), how + "the shortest violation's length");
                } else if (config.symmetry() == Symmetry.NONE) {
                    assertEquals(seen.size(), r.states(), how + "distinct states");
                }
            }
        }
    }
}
