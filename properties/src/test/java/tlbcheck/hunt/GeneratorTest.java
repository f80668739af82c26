package tlbcheck.hunt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vavr.collection.Array;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tlbcheck.model.Catalogues;
import tlbcheck.model.Model;
import tlbcheck.model.State;
import tlbcheck.model.step.Step;

/**
 * What a walk may take: a swarm policy keeps the kernel's own progress and leaves out about a third of the
 * hardware kinds, each on its own; the policy without swarm allows everything; every step drawn is enabled, and
 * a walk takes every kind of step its policy allows; a prioritised walk advances the highest CPU that can move.
 * The draws are seeded, so the counts below do not vary.
 */
class GeneratorTest {

    private static final Array<String> KERNEL = Array.of("Advance", "Start", "HandleDeviceFault");

    @Test
    void aSwarmKeepsTheKernelAndLeavesOutAThirdOfEachHardwareKind() {
        Generator generator = new Generator(new Model(Catalogues.get().variant("V13")));
        Map<String, Integer> leftOut = new HashMap<>();
        int policies = 300;
        for (int seed = 0; seed < policies; seed++) {
            Generator.Policy p = generator.swarm(new SplittableRandom(seed));
            for (String kind : generator.kinds()) if (!p.allows(kind)) leftOut.merge(kind, 1, Integer::sum);
        }
        assertTrue(generator.kinds().size() > KERNEL.size() + 3, "kinds " + generator.kinds());
        for (String kind : generator.kinds()) {
            int n = leftOut.getOrDefault(kind, 0);
            if (KERNEL.contains(kind)) {
                assertEquals(0, n, kind + " left out of a swarm walk: no procedure could finish");
            } else {
                // A third of 300 is 100, with a standard deviation of about 8.
                assertTrue(n >= 75 && n <= 125, kind + " left out of " + n + " of " + policies + " swarm policies");
            }
        }
        Generator.Policy all = generator.everything();
        for (String kind : generator.kinds()) assertTrue(all.allows(kind), kind);
    }

    @Test
    void everyStepDrawnIsEnabledAndEveryAllowedKindIsTaken() {
        Model model = new Model(Catalogues.get().variant("V5"));
        Generator generator = new Generator(model);
        Generator.Policy policy = generator.everything();
        SplittableRandom random = new SplittableRandom(11);
        Map<String, Integer> taken = new HashMap<>();
        for (int walk = 0; walk < 40; walk++) {
            State s = model.initial();
            for (int i = 0; i < 100; i++) {
                Step step = policy.next(s, random).get();
                assertTrue(step.enabled(model, s), step + " drawn but not enabled");
                taken.merge(step.kind(), 1, Integer::sum);
                s = step.fire(model, s).after();
            }
        }
        for (String kind : generator.kinds()) assertTrue(taken.containsKey(kind), kind + " never taken: " + taken);
        // Advance weighs 12 and a CPU eviction 1: the kernel's progress is most of a walk.
        assertTrue(taken.get("Advance") > 4 * taken.get("CpuEvict"), taken.toString());
    }

    @Test
    void aPolicyWhoseKindsAreAllRefusedStillGivesAnEnabledStep() {
        Model model = new Model(Catalogues.get().variant("V5"));
        Generator generator = new Generator(model);
        boolean[] evictionsOnly = new boolean[generator.kinds().size()];
        evictionsOnly[generator.kinds().indexOf("CpuEvict")] = true;
        Generator.Policy policy = generator.new Policy(evictionsOnly, io.vavr.control.Option.none());
        // Nothing is cached yet, so no eviction is enabled: the walk goes on with a step of another kind.
        State initial = model.initial();
        for (int seed = 0; seed < 20; seed++) {
            Step step = policy.next(initial, new SplittableRandom(seed)).get();
            assertTrue(step.enabled(model, initial), step + " drawn but not enabled");
        }
    }

    /**
     * Under priorities, an advance is always the highest CPU's that can move, and the order changes at the walk's
     * change points: the walk both runs one procedure ahead of another and switches which.
     */
    @Test
    void aPrioritisedWalkAdvancesTheHighestCpuThatCanMove() {
        Model model = new Model(Catalogues.get().variant("V5"));
        Generator generator = new Generator(model);
        java.util.Set<Integer> leaders = new java.util.HashSet<>();
        int advances = 0;
        int passedOver = 0;
        for (int seed = 0; seed < 20; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            Generator.Policy policy = generator.prioritised(generator.everything(), 100, random);
            State s = model.initial();
            for (int i = 0; i < 100; i++) {
                Step step = policy.next(s, random).get();
                int[] order = policy.priorities().get().order();
                if (step instanceof tlbcheck.model.step.Advance a) {
                    advances++;
                    leaders.add(a.cpu());
                    for (int cpu : order) {
                        if (cpu == a.cpu()) break;
                        assertTrue(!new tlbcheck.model.step.Advance(cpu).enabled(model, s),
                                "CPU" + a.cpu() + " advanced while CPU" + cpu + ", ahead of it, could");
                        passedOver++;
                    }
                }
                s = step.fire(model, s).after();
            }
        }
        assertTrue(advances > 200, "advances " + advances);
        // Both CPUs lead some advances, and a CPU ahead is sometimes passed over because it cannot move.
        assertEquals(java.util.Set.of(0, 1), leaders);
        assertTrue(passedOver > 0, "no CPU ahead was ever passed over");
    }

    @Test
    void theOrderDropsItsFirstCpuToLastAtEachChangePoint() {
        for (int seed = 0; seed < 50; seed++) {
            Priorities p = Priorities.draw(3, 10, new SplittableRandom(seed));
            int[] start = p.order();
            int[] changes = p.changePoints();
            assertTrue(changes.length >= 1 && changes.length <= Priorities.MAX_CHANGES, "changes " + changes.length);
            for (int step = 0; step < 10; step++) {
                int before = 0;
                for (int c : changes) if (c <= step) before++;
                p.step();
                int[] now = p.order();
                for (int k = 0; k < 3; k++) {
                    assertEquals(start[(k + before) % 3], now[k], "seed " + seed + ", step " + step);
                }
            }
        }
    }
}
