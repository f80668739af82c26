package tlbcheck.properties;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vavr.control.Option;
import org.junit.jupiter.api.Test;
import tlbcheck.hunt.Hunt;
import tlbcheck.hunt.HuntConfig;
import tlbcheck.hunt.HuntResult;
import tlbcheck.model.Model;
import tlbcheck.model.Platform;
import tlbcheck.model.State;
import tlbcheck.model.Transition;
import tlbcheck.model.Variant;
import tlbcheck.model.Variants;
import tlbcheck.model.invariant.Invariant;
import tlbcheck.model.invariant.NoStaleAccessAfterRestriction;
import tlbcheck.model.invariant.Violation;
import tlbcheck.model.kernel.FlushTlbPage;
import tlbcheck.model.kernel.MmPaths;
import tlbcheck.model.kernel.NotifySecondary;
import tlbcheck.model.kernel.Seq;

/** The README's worked examples, as real tests: a new variant and a new invariant, engine untouched. */
class ExtensionExamplesTest {

    // --- README example 1: a patch under review, as a variant ---------------------------------
    /** "mm: use a local flush after change_protection": plausible-looking, wrong on SMP. */
    static final Variant LOCAL_FLUSH_WRPROTECT = Variants.V5.withKernel("V5-local-flush-wrprotect",
            "V5, but change_protection flushes only the local CPU's TLB",
            MmPaths.LINUX_6_6.named("linux-6.6+local-wrprotect-flush").withFlushTlbRange(Seq.of("flush_tlb_range",
                    FlushTlbPage.local("local_flush_tlb_range"),
                    NotifySecondary.withFlush("__flush_tlb_range->arch_invalidate_secondary_tlbs"))).kernel());

    @Test
    void thePatchLeavesAnotherCpuWriting() {
        HuntResult r = Hunt.run(new Model(LOCAL_FLUSH_WRPROTECT), NoStaleAccessAfterRestriction.INSTANCE, HuntConfig.quick(1));
        assertTrue(r.violated(), "a local flush after write-protect must leave another CPU's RW entry");
        assertTrue(r.shrunk().get().violation().explanation().contains("write to a write-protected page"),
                r.shrunk().get().violation().explanation());
    }

    // --- README example 2: a new rule, as an invariant ----------------------------------------
    /** When no procedure is in flight, every frame in use is mapped by exactly one PTE: no leak, no alias. */
    static final class NoFrameLeak implements Invariant {
        @Override public String name() { return "no-frame-leak"; }
        @Override public int number() { return 0; }
        @Override public String meaning() { return "at quiescence every frame in use is mapped exactly once"; }
        @Override public boolean appliesTo(Model m) { return m.platform().guest() != Platform.Guest.ARM64_STAGE2; }

        @Override
        public Option<Violation> check(Model model, Transition t) {
            State s = t.after();
            if (s.running().exists(Option::isDefined)) return Option.none();
            for (int f = 0; f < s.frames(); f++) {
                int mapped = 0;
                for (int p = 0; p < s.pages(); p++) mapped += s.pte(p).frame() == f ? 1 : 0;
                if (!s.frameFree(f) && mapped != 1) {
                    return Option.some(violation("frame " + f + " is in use and mapped by " + mapped + " PTEs",
                            "frame " + f + ": in use, " + mapped + " PTEs"));
                }
            }
            return Option.none();
        }
    }

    @Test
    void theNewRuleHoldsForEveryCataloguedVariant() {
        NoFrameLeak rule = new NoFrameLeak();
        for (Variant v : Variants.all().filter(v -> rule.appliesTo(new Model(v)))) {
            HuntResult r = Hunt.run(new Model(v), rule, HuntConfig.quick(3).withTries(300));
            assertTrue(!r.violated(), () -> v.name() + ": " + tlbcheck.report.FailureReport.of(r));
        }
    }
}
