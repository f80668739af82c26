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

    @Test
    void theHuntReportsAShortestTraceWhereSearchReachesIt() {
        // Delta debugging keeps the walk's path (14 steps for this seed once); search finds the 7-step flood.
        HuntResult r = Hunt.run(new Model(Variants.V1), tlbcheck.model.invariant.SecondaryMirrorsCpuFlush.INSTANCE,
                HuntConfig.quick(5));
        Shrinker.Result s = r.shrunk().get();
        assertTrue(s.shortest().startsWith("shortest"), s.shortest());
        var bfs = tlbcheck.explore.Explorer.explore(r.model(), r.invariant(), tlbcheck.explore.Explorer.Config.defaults());
        assertEquals(bfs.trace().get().size(), s.steps().size(), "the hunt's trace is as short as exhaustive search's");
    }

    @Test
    void aTraceThatSearchCannotReachFailsTheRun() {
        // A violating trace of V1, checked against V5's state space: search to its length finds nothing there,
        // which is what a wrong explorer (or a shrinker reporting a trace of another model) looks like.
        HuntResult r = Hunt.run(new Model(Variants.V1), NoStaleSecondaryTlb.INSTANCE, HuntConfig.quick(5));
        Model v5 = new Model(Variants.V5);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> tlbcheck.hunt.Shortest.of(v5, NoStaleSecondaryTlb.INSTANCE, r.shrunk().get()));
        assertTrue(e.getMessage().contains("found no violation"), e.getMessage());
    }
}
