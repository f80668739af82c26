package tlbcheck.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import tlbcheck.hunt.Hunt;
import tlbcheck.hunt.HuntConfig;
import tlbcheck.hunt.HuntResult;
import tlbcheck.model.Model;
import tlbcheck.model.Variant;
import tlbcheck.model.Variants;
import tlbcheck.model.invariant.NoStaleSecondaryTlb;
import tlbcheck.model.kernel.FlushTlbPage;
import tlbcheck.model.kernel.MmPaths;
import tlbcheck.model.kernel.Seq;
import tlbcheck.model.kernel.SetPteWritable;
import tlbcheck.report.Lanes;

/** A deliberately broken variant is caught, shrunk to something readable, and reproduced from its seed. */
class BrokenVariantTest {

    /** V3 with its notifier removed: the patch reverted by mistake. */
    static final Variant V3_WITHOUT_NOTIFIER = Variants.V3.withKernel("V3-notifier-dropped",
            "V3 with the invalidate_range call in ptep_set_access_flags removed",
            MmPaths.LINUX_6_4.named("linux-6.4+notify-dropped").withPtepSetAccessFlags(Seq.of("ptep_set_access_flags",
                    SetPteWritable.INSTANCE, FlushTlbPage.broadcast("flush_tlb_page"))).kernel());

    @Test
    void theHuntCatchesTheMissingNotifier() {
        Model model = new Model(V3_WITHOUT_NOTIFIER);
        HuntConfig config = HuntConfig.quick(7);
        HuntResult r = Hunt.run(model, NoStaleSecondaryTlb.INSTANCE, config);
        assertTrue(r.violated(), "the broken variant must be caught");
        String report = tlbcheck.report.FailureReport.of(r);
        System.out.println(report);

        // Shortest by hand: 8 steps through a CPU write fault (SMMU fill, fault_upgrade, its 6 steps), 10 through
        // a device fault (issue, access, iopf, its 7 steps). Delta debugging keeps the path the walk took, so it
        // promises the second bound and 1-minimality: no single step can go. Exhaustive search finds the 8.
        io.vavr.collection.Array<tlbcheck.model.step.Step> shrunk = r.shrunk().get().steps();
        assertTrue(shrunk.size() <= 10, report);
        tlbcheck.hunt.Shrinker checker = new tlbcheck.hunt.Shrinker(model, NoStaleSecondaryTlb.INSTANCE, 5);
        for (int i = 0; i < shrunk.size(); i++) {
            assertTrue(checker.violatingPrefix(shrunk.removeAt(i).asJava()).isEmpty(),
                    "step " + (i + 1) + " could be removed:\n" + report);
        }
        assertTrue(report.contains("SMMU0 still maps page"), report);
        assertTrue(report.contains("-Dtlbcheck.seed=" + r.seed()), report);
        for (String line : Lanes.render(model, r.shrunk().get().steps()).split("\n")) {
            assertTrue(line.length() <= Lanes.WIDTH, "lane line too wide: " + line);
        }

        // The printed seed reruns exactly that walk first, and shrinks to the same counterexample.
        HuntResult again = Hunt.run(model, NoStaleSecondaryTlb.INSTANCE, config.withSeed(r.seed()));
        assertEquals(1, again.firstViolationTry());
        assertEquals(r.walk(), again.walk());
        assertEquals(r.shrunk().get().steps(), again.shrunk().get().steps());
        // And the unbroken V3 holds under the same budget.
        assertTrue(!Hunt.run(new Model(Variants.V3), NoStaleSecondaryTlb.INSTANCE, config.withTries(500)).violated());
    }

    /**
     * A row whose hunt found nothing says what exhaustive search of the small scope finds: the shortest trace and what
     * to do when there is one, that there is none when there is not.
     */
    @Test
    void aMissedViolationShowsWhatExhaustiveSearchFinds() {
        String missed = HuntPropertiesTest.missedBy(V3_WITHOUT_NOTIFIER, NoStaleSecondaryTlb.INSTANCE);
        assertTrue(missed.startsWith("Exhaustive search of " + V3_WITHOUT_NOTIFIER.smallScope() + " violates it in "), missed);
        assertTrue(missed.contains("try -Dtlbcheck.tries=100000, and keep what finds it as the pair's Catalogue.huntTries"),
                missed);
        assertTrue(missed.contains("fault_upgrade") && missed.contains("invariant 1 (no-stale-secondary-tlb) violated"), missed);
        String none = HuntPropertiesTest.missedBy(Variants.V3, NoStaleSecondaryTlb.INSTANCE);
        assertTrue(none.startsWith("Exhaustive search of " + Variants.V3.smallScope() + " finds none either (holds"), none);
    }
}
