package tlbcheck.explore;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import tlbcheck.model.Model;
import tlbcheck.model.Scope;
import tlbcheck.model.State;
import tlbcheck.model.Variant;
import tlbcheck.model.step.Step;
import tlbcheck.properties.ExhaustiveCheck;

/**
 * The footprints the sleep sets trust ({@link Footprint}) are checked against the model itself: on seeded walks of
 * every variant, in its small scope, in the reviewer's (2 CPUs, 2 pages, 3 frames) and in a wider one (3 CPUs, 2 SMMUs
 * where it has any, 3 pages, one of them an alias where there is no guest), every pair of enabled steps
 * whose footprints do not conflict is fired in both orders, and each order must be possible and reach the same
 * state. A footprint that leaves out something a step reads or writes fails here with the state and the two steps.
 */
class FootprintCommutationTest {

    static final int STATES = 400;

    @TestFactory
    Stream<DynamicTest> independentStepsCommute() {
        return tlbcheck.model.Catalogues.get().variants().toJavaStream().flatMap(v -> Stream.of(
                DynamicTest.dynamicTest(v.name() + " in " + v.smallScope(), () -> check(v, v.smallScope(), STATES)),
                DynamicTest.dynamicTest(v.name() + " in " + ExhaustiveCheck.reviewerScope(v),
                        () -> check(v, ExhaustiveCheck.reviewerScope(v), STATES)),
                DynamicTest.dynamicTest(v.name() + " in " + wide(v), () -> check(v, wide(v), STATES / 8))));
    }

    /** Three CPUs, two SMMUs where the variant has any, three pages; without a guest, two of them share a frame. */
    static Scope wide(Variant v) {
        Scope small = v.smallScope();
        boolean guest = v.platform().guest() != tlbcheck.model.Platform.Guest.NONE;
        return new Scope(3, small.smmus() > 0 ? 2 : 0, 3, 4, small.range(), guest ? 0 : 1, small.writable());
    }

    private static void check(Variant variant, Scope scope, int states) {
        Model model = new Model(variant, scope);
        Step[] steps = model.candidates().toJavaArray(Step[]::new);
        Footprint footprint = new Footprint(model);
        SplittableRandom random = new SplittableRandom(variant.name().hashCode() * 31L + scope.hashCode());
        long[] reads = new long[steps.length];
        long[] writes = new long[steps.length];
        long independent = 0;
        long pairs = 0;
        State s = model.initial();
        for (int n = 0; n < states; n++) {
            List<Integer> enabled = new ArrayList<>();
            for (int k = 0; k < steps.length; k++) {
                if (!steps[k].enabled(model, s)) continue;
                enabled.add(k);
                footprint.of(s, steps[k]);
                reads[k] = footprint.reads;
                writes[k] = footprint.writes;
            }
            for (int i = 0; i < enabled.size(); i++) {
                for (int j = i + 1; j < enabled.size(); j++) {
                    int a = enabled.get(i);
                    int b = enabled.get(j);
                    pairs++;
                    if (Footprint.conflict(reads[a], writes[a], reads[b], writes[b])) continue;
                    independent++;
                    State afterA = steps[a].fire(model, s).after();
                    State afterB = steps[b].fire(model, s).after();
                    String where = variant.name() + " in " + scope + ", at " + s + ": " + steps[a] + " and " + steps[b];
                    if (!steps[b].enabled(model, afterA) || !steps[a].enabled(model, afterB)) {
                        fail(where + " are called independent, but one disables the other");
                    }
                    State ab = steps[b].fire(model, afterA).after();
                    State ba = steps[a].fire(model, afterB).after();
                    if (!ab.equals(ba)) fail(where + " are called independent, but the two orders reach\n" + ab + "\n" + ba);
                }
            }
            if (enabled.isEmpty() || random.nextInt(60) == 0) {
                s = model.initial();
            } else {
                s = steps[enabled.get(random.nextInt(enabled.size()))].fire(model, s).after();
            }
        }
        System.out.printf("footprints %s in %s: %d of %d pairs of enabled steps independent%n", variant.name(), scope,
                independent, pairs);
        if (variant.name().equals("V5")) {
            assertTrue(independent > pairs / 10, "V5 has independent steps; found " + independent + " of " + pairs);
        }
    }

    /**
     * A condition of one's own may read anything, so the step that checks it touches everything: it commutes with
     * nothing, and the sleep sets never take it for independent. A built-in check of the PTE reads that PTE only.
     */
    @org.junit.jupiter.api.Test
    void ownConditionTouchesEverything() {
        tlbcheck.model.kernel.Condition pending = tlbcheck.model.kernel.Condition.of("mm_tlb_flush_pending",
                (st, r) -> st.locks().tlbFlushPending() > 0);
        for (tlbcheck.model.kernel.Condition c : new tlbcheck.model.kernel.Condition[] {pending,
                tlbcheck.model.kernel.PteCondition.READ_ONLY}) {
            tlbcheck.model.kernel.Procedure p = tlbcheck.model.kernel.Procedure.of("wp", tlbcheck.model.kernel.Trigger.ANY,
                    tlbcheck.model.kernel.MmapLock.READ, tlbcheck.model.kernel.When.of(c,
                            tlbcheck.model.kernel.FlushTlbPage.broadcast("flush_tlb_page").always()),
                    tlbcheck.model.kernel.MmapUnlock.READ);
            Variant v = tlbcheck.model.Variants.V5.withKernel("own", "one's own check",
                    tlbcheck.model.kernel.Kernel.of("own", p));
            Model model = new Model(v, Scope.of(2, 1, 2, 3));
            State s = model.initial();
            s = model.fire(s, new tlbcheck.model.step.Start(0, "wp", 0, false)).after();
            // The check is silent: the step that takes mmap_read_lock makes it too.
            org.junit.jupiter.api.Assertions.assertEquals(c == pending ? 3 : 2, model.fire(s,
                    new tlbcheck.model.step.Advance(0)).after().running(0).get().pc(),
                    "past the check: no flush pending, a read-only PTE");
            Footprint f = new Footprint(model);
            f.of(s, new tlbcheck.model.step.Advance(0));
            if (c == pending) {
                org.junit.jupiter.api.Assertions.assertEquals(Footprint.EVERYTHING, f.reads, "reads");
                org.junit.jupiter.api.Assertions.assertEquals(Footprint.EVERYTHING, f.writes, "writes");
            } else {
                org.junit.jupiter.api.Assertions.assertNotEquals(Footprint.EVERYTHING, f.reads, "the PTE's check reads its PTE");
            }
        }
    }
}
