package tlbcheck.hunt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vavr.collection.Array;
import io.vavr.collection.LinkedHashMap;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tlbcheck.model.Catalogues;
import tlbcheck.model.Model;
import tlbcheck.model.State;
import tlbcheck.model.Transition;
import tlbcheck.model.invariant.Invariant;
import tlbcheck.model.invariant.Invariants;
import tlbcheck.model.step.Step;

/**
 * The hunt's bookkeeping, each figure checked against another run of the hunt or a replay of its walk rather
 * than against the loop that counts it: a violating hunt is the hunt of the tries before it plus the failing walk,
 * its seed reruns that walk as try 0, its walk breaks the invariant at its last step and not before; shards of a
 * hunt add up to the whole; the progress lines count the tries. The catalogue's rows check verdicts through the
 * whole hunt, minutes long; these take seconds, so mutation testing can run them against every change of the hunt.
 */
class HuntTest {

    private static final HuntConfig CONFIG = HuntConfig.quick(7);

    @ParameterizedTest(name = "{0} invariant {1}")
    @CsvSource({"V1, 1", "V4, 1", "V7, 3", "V7, 6", "V11, 2", "V13, 5"})
    void aViolatingHuntIsTheTriesBeforeItPlusTheFailingWalk(String variant, int number) {
        Model model = new Model(Catalogues.get().variant(variant));
        Invariant invariant = Invariants.all().find(i -> i.number() == number).get();
        String where = variant + " / " + invariant.name() + ": ";
        // Most seeds find these rows at their first try; the first seed that does not leaves tries to compare with.
        HuntConfig config = CONFIG;
        HuntResult found = Hunt.search(model, invariant, config);
        for (long seed = 8; found.violated() && found.firstViolationTry() == 1 && seed < 100; seed++) {
            config = CONFIG.withSeed(seed);
            found = Hunt.search(model, invariant, config);
        }
        assertTrue(found.violated(), where + "no violation");
        assertEquals("violation", found.stoppedBy());
        int t = found.firstViolationTry();
        assertTrue(t > 1, where + "violated at the first try of every seed up to 100");
        assertEquals(t, found.tries(), where + "tries");
        assertEquals(config.trySeed(t - 1), found.seed(), where + "the seed printed is not the failing try's");

        Array<Step> walk = found.walk();
        List<Transition> replay = replay(model, walk);
        for (int i = 0; i < replay.size(); i++) {
            assertEquals(i == replay.size() - 1, invariant.check(model, replay.get(i)).isDefined(),
                    where + "the walk breaks the invariant at step " + i + " of " + walk.size());
        }

        HuntResult before = Hunt.search(model, invariant, config.withTries(t - 1));
        assertFalse(before.violated(), where + "the tries before the failing one violate");
        assertEquals("tries", before.stoppedBy());
        assertEquals(t - 1, before.tries());
        assertEquals(before.steps() + walk.size(), found.steps(), where + "steps");
        assertEquals(sum(before.stepKinds(), histogram(found.stepKinds(), walk)), found.stepKinds(), where + "step kinds");
        boolean racy = replay.stream().anyMatch(tr -> invariant.racy(model, tr));
        assertEquals(before.racyRuns() + (racy ? 1 : 0), found.racyRuns(), where + "racy runs");
        long flushes = replay.stream().filter(tr -> tr.completed().isDefined()).mapToLong(tr -> tr.completed().get().flushes()).sum();
        long secondary = replay.stream().filter(tr -> tr.completed().isDefined())
                .mapToLong(tr -> tr.completed().get().secondary()).sum();
        assertEquals(before.flushes() + flushes, found.flushes(), where + "flushes");
        assertEquals(before.secondaryInvalidations() + secondary, found.secondaryInvalidations(), where + "secondary invalidations");

        HuntResult rerun = Hunt.search(model, invariant, config.withSeed(found.seed()).withTries(1));
        assertTrue(rerun.violated(), where + "the printed seed does not rerun the failing walk");
        assertEquals(1, rerun.firstViolationTry());
        assertEquals(walk, rerun.walk(), where + "the printed seed reruns another walk");
    }

    @Test
    void shardsOfAHuntAddUpToTheWholeHunt() {
        Model model = new Model(Catalogues.get().variant("V5"));
        Invariant invariant = Invariants.all().get(0);
        HuntConfig whole = CONFIG.withTries(60);
        HuntResult all = Hunt.search(model, invariant, whole);
        assertFalse(all.violated());
        assertEquals(60, all.tries());
        assertTrue(all.racyRuns() > 0 && all.racyRuns() < 60, "racy runs " + all.racyRuns() + ": the sum below would not show a miscount");
        long steps = 0;
        int tries = 0;
        int racy = 0;
        long flushes = 0;
        LinkedHashMap<String, Long> kinds = LinkedHashMap.empty();
        for (int k = 0; k < 3; k++) {
            HuntResult part = Hunt.search(model, invariant, whole.withShard(k, 3));
            assertEquals(20, part.tries(), "shard " + (k + 1) + "/3");
            steps += part.steps();
            tries += part.tries();
            racy += part.racyRuns();
            flushes += part.flushes();
            kinds = sum(kinds, part.stepKinds());
        }
        assertEquals(all.tries(), tries);
        assertEquals(all.steps(), steps);
        assertEquals(all.racyRuns(), racy);
        assertEquals(all.flushes(), flushes);
        assertEquals(all.stepKinds(), kinds);
        long counted = all.stepKinds().values().sum().longValue();
        assertEquals(all.steps(), counted, "steps against the sum of the step kinds");
        assertTrue(all.steps() <= 60L * CONFIG.length());
    }

    @Test
    void racyRunsAreTheWalksThatReachTheRace() {
        Model model = new Model(Catalogues.get().variant("V5"));
        Invariant real = Invariants.all().get(0);
        Invariant neverRacy = racyAlways(real, false);
        Invariant alwaysRacy = racyAlways(real, true);
        HuntConfig config = CONFIG.withTries(30);
        assertEquals(0, Hunt.search(model, neverRacy, config).racyRuns());
        assertEquals(30, Hunt.search(model, alwaysRacy, config).racyRuns());
        int some = Hunt.search(model, real, config).racyRuns();
        assertTrue(some > 0 && some < 30, "racy runs " + some + " of 30");
    }

    @Test
    void aProgressLineFollowsEveryTryAndTheLastSaysAllAreDone() {
        Model model = new Model(Catalogues.get().variant("V5"));
        Invariant invariant = Invariants.all().get(0);
        // A nanosecond between lines: every try takes longer than that, so every try prints one.
        HuntConfig config = new HuntConfig(7, 12, 40, 600, 60, true, 1e-9);
        List<String> lines = new ArrayList<>();
        HuntResult r = Hunt.run(model, invariant, config, lines::add);
        assertEquals(12, lines.size(), String.join("\n", lines));
        for (int i = 0; i < lines.size(); i++) {
            assertTrue(lines.get(i).contains(", try " + (i + 1) + " of 12, "), lines.get(i));
        }
        assertTrue(lines.get(11).contains(": 100% done,"), lines.get(11));
        assertTrue(lines.get(5).contains(": 50% done,"), lines.get(5));
        assertTrue(lines.get(11).contains(", " + r.steps() + " steps,"), lines.get(11));
    }

    /** The invariant, checked as it is, with a racy state that every transition is in, or none is. */
    private static Invariant racyAlways(Invariant real, boolean racy) {
        return new Invariant() {
            public String name() { return real.name(); }
            public int number() { return real.number(); }
            public String meaning() { return real.meaning(); }
            public io.vavr.control.Option<tlbcheck.model.invariant.Violation> check(Model m, Transition t) { return real.check(m, t); }
            @Override public boolean racy(Model m, Transition t) { return racy; }
        };
    }

    private static List<Transition> replay(Model model, Array<Step> walk) {
        List<Transition> out = new ArrayList<>();
        State s = model.initial();
        for (Step step : walk) {
            assertTrue(step.enabled(model, s), "the walk takes " + step + ", not enabled");
            Transition t = step.fire(model, s);
            out.add(t);
            s = t.after();
        }
        return out;
    }

    /** How often each kind of the hunt's steps occurs in the walk, in the hunt's order of kinds. */
    private static LinkedHashMap<String, Long> histogram(LinkedHashMap<String, Long> kinds, Array<Step> walk) {
        return kinds.map((kind, n) -> io.vavr.Tuple.of(kind, (long) walk.count(s -> s.kind().equals(kind))));
    }

    private static LinkedHashMap<String, Long> sum(LinkedHashMap<String, Long> a, LinkedHashMap<String, Long> b) {
        LinkedHashMap<String, Long> out = a;
        for (var e : b) out = out.put(e._1, out.get(e._1).getOrElse(0L) + e._2);
        return out;
    }
}
