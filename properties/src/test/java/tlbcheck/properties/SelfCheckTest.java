package tlbcheck.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import tlbcheck.hunt.Hunt;
import tlbcheck.hunt.HuntConfig;
import tlbcheck.hunt.HuntResult;
import tlbcheck.hunt.Shrinker;
import tlbcheck.model.Model;
import tlbcheck.model.Variants;
import tlbcheck.model.invariant.NoStaleSecondaryTlb;

/** The checker checks itself: a minimiser that returns a wrong trace is caught before anything is reported. */
class SelfCheckTest {

    @Test
    void aShrinkerThatDropsTheViolatingStepFailsTheRun() {
        Model model = new Model(Variants.V1);
        Hunt.Shrink broken = failing -> {
            Shrinker.Result good = new Shrinker(model, NoStaleSecondaryTlb.INSTANCE, 60).shrink(failing);
            return new Shrinker.Result(good.steps().dropRight(1), good.violation(), good.originalLength(),
                    good.candidates(), good.timedOut());
        };
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Hunt.run(model, NoStaleSecondaryTlb.INSTANCE, HuntConfig.quick(5), line -> {}, broken));
        assertTrue(e.getMessage().contains("tlbcheck bug: the shrunk trace") && e.getMessage().contains("does not violate"),
                e.getMessage());
    }

    @Test
    void aShrinkerThatKeepsStepsPastTheViolationFailsTheRun() {
        Model model = new Model(Variants.V1);
        Hunt.Shrink broken = failing -> {
            Shrinker.Result good = new Shrinker(model, NoStaleSecondaryTlb.INSTANCE, 60).shrink(failing);
            var extra = model.enabled(tlbcheck.model.Replay.run(model, good.steps(), java.util.List.of())
                    .finalState(model)).get(0);
            return new Shrinker.Result(good.steps().append(extra), good.violation(), good.originalLength(),
                    good.candidates(), good.timedOut());
        };
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Hunt.run(model, NoStaleSecondaryTlb.INSTANCE, HuntConfig.quick(5), line -> {}, broken));
        assertTrue(e.getMessage().contains("already at step"), e.getMessage());
    }

    @Test
    void theReportedViolationIsTheReplayedOne() {
        HuntResult r = Hunt.run(new Model(Variants.V1), NoStaleSecondaryTlb.INSTANCE, HuntConfig.quick(5));
        assertTrue(r.violated());
        assertEquals(tlbcheck.model.Replay.run(r.model(), r.shrunk().get().steps(),
                java.util.List.of(NoStaleSecondaryTlb.INSTANCE)).violation().get(), r.shrunk().get().violation());
    }
}
