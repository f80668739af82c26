package tlbcheck.hunt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vavr.collection.Array;
import java.util.List;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tlbcheck.model.Catalogues;
import tlbcheck.model.Model;
import tlbcheck.model.invariant.Invariant;
import tlbcheck.model.invariant.Invariants;
import tlbcheck.model.step.Step;

/**
 * What the shrinker promises of its result, checked on the raw failing walks of a hunt, each step list
 * against the model: it breaks the same invariant at its last step and not before; no single step can be
 * left out; no swap of two CPUs, pages or SMMUs and no read for a write gives a list that is shorter, or as
 * long and simpler; the same walk shrinks to the same list; a bound on the replays stops it with a list that
 * still fails. The catalogue's rows check the shrunk lengths only through the whole hunt, minutes long; these
 * take seconds, so mutation testing can run them against every change of the shrinker.
 */
class ShrinkerTest {

    private static final int MAX_CANDIDATES = 200_000;

    /**
     * The catalogue's violating rows at seed 7, and three walks (seeds 56, 59, 41) where one round of removals, renames
     * and simplifications is not a fixpoint: a rename or a simpler step opens a removal that only a second round makes.
     */
    @ParameterizedTest(name = "{0} invariant {1}, seed {2}")
    @CsvSource({"V1, 1, 7", "V1, 4, 7", "V1, 7, 7", "V2, 7, 7", "V3, 7, 7", "V4, 1, 7", "V4, 7, 7", "V6, 7, 7", "V7, 3, 7",
            "V7, 6, 7", "V11, 2, 7", "V13, 5, 7", "V1, 1, 56", "V1, 4, 59", "V4, 1, 41"})
    void theShrunkListIsAFixpointOfEveryRewrite(String variant, int number, long seed) {
        Model model = new Model(Catalogues.get().variant(variant));
        Invariant invariant = Invariants.all().find(i -> i.number() == number).get();
        HuntResult found = Hunt.search(model, invariant, HuntConfig.quick(seed));
        assertTrue(found.violated(), () -> variant + " / " + invariant.name() + ": the hunt's walks found no violation");
        Array<Step> walk = found.walk();
        Shrinker.Result shrunk = new Shrinker(model, invariant, 60, MAX_CANDIDATES).shrink(walk);
        Array<Step> steps = shrunk.steps();
        String where = variant + " / " + invariant.name() + ", shrunk to " + steps + ": ";
        assertFalse(shrunk.timedOut(), where + "stopped by its bound");
        assertTrue(steps.size() <= walk.size(), where + "longer than the walk");
        assertEquals(walk.size(), shrunk.originalLength());
        assertEquals(invariant.name(), shrunk.violation().invariant(), where + "another invariant");

        Shrinker replay = new Shrinker(model, invariant, 60);
        assertEquals(steps, replay.violatingPrefix(steps.asJava()).getOrNull(), where + "does not break it at its last step");
        assertTrue(replay.violatingPrefix(steps.dropRight(1).asJava()).isEmpty(), where + "breaks it before its last step");
        for (int i = 0; i < steps.size(); i++) {
            Array<Step> without = steps.removeAt(i);
            assertTrue(replay.violatingPrefix(without.asJava()).isEmpty(), where + "still fails without step " + i);
        }
        IntUnaryOperator id = IntUnaryOperator.identity();
        int most = Math.max(model.scope().cpus(), Math.max(model.scope().pages(), model.scope().smmus()));
        for (int a = 0; a < most; a++) {
            for (int b = a + 1; b < most; b++) {
                IntUnaryOperator swap = StepRewrites.swap(a, b);
                if (b < model.scope().cpus()) notBetter(replay, steps, s -> StepRewrites.rename(s, swap, id, id), where + "CPUs " + a + "," + b);
                if (b < model.scope().pages()) notBetter(replay, steps, s -> StepRewrites.rename(s, id, swap, id), where + "pages " + a + "," + b);
                if (b < model.scope().smmus()) notBetter(replay, steps, s -> StepRewrites.rename(s, id, id, swap), where + "SMMUs " + a + "," + b);
            }
        }
        for (int i = 0; i < steps.size(); i++) {
            for (Step simpler : StepRewrites.simpler(steps.get(i))) {
                var r = replay.violatingPrefix(steps.update(i, simpler).asJava());
                assertFalse(r.isDefined() && better(r.get(), steps), where + simpler + " for step " + i + " gives " + r);
            }
        }

        assertEquals(steps, new Shrinker(model, invariant, 60, MAX_CANDIDATES).shrink(walk).steps(), where + "not deterministic");
        Shrinker.Result bounded = new Shrinker(model, invariant, 60, 10).shrink(walk);
        assertTrue(bounded.timedOut(), where + "10 replays were enough to reach a fixpoint");
        assertEquals(bounded.steps(), replay.violatingPrefix(bounded.steps().asJava()).getOrNull(), "a bounded shrink still fails");
        assertTrue(steps.size() <= bounded.steps().size());
        assertThrows(IllegalArgumentException.class, () -> replay.shrink(steps.dropRight(1)), "a list that holds");
    }

    private static void notBetter(Shrinker replay, Array<Step> steps, java.util.function.Function<Step, Step> rename, String where) {
        var r = replay.violatingPrefix(List.copyOf(steps.map(rename).asJava()));
        assertFalse(r.isDefined() && better(r.get(), steps), () -> where + " swapped gives " + r.get());
    }

    /**
     * Shorter, or as long with smaller indices and reads first, step by step: the shrinker's order, written out again
     * rather than called, so that a shrinker whose order went wrong is not judged by its own mistake.
     */
    private static boolean better(Array<Step> a, Array<Step> b) {
        if (a.size() != b.size()) return a.size() < b.size();
        for (int i = 0; i < a.size(); i++) {
            int ca = StepRewrites.complexity(a.get(i));
            int cb = StepRewrites.complexity(b.get(i));
            if (ca != cb) return ca < cb;
        }
        return false;
    }
}
