package tlbcheck.properties;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vavr.control.Option;
import org.junit.jupiter.api.Test;
import tlbcheck.explore.ExploreResult;
import tlbcheck.explore.Explorer;
import tlbcheck.hunt.Hunt;
import tlbcheck.hunt.HuntConfig;
import tlbcheck.hunt.HuntResult;
import tlbcheck.model.Model;
import tlbcheck.model.Pte;
import tlbcheck.model.Running;
import tlbcheck.model.State;
import tlbcheck.model.Variant;
import tlbcheck.model.Variants;
import tlbcheck.model.invariant.NoStaleAccessAfterRestriction;
import tlbcheck.model.kernel.MmPaths;
import tlbcheck.model.kernel.NotifySecondary;
import tlbcheck.model.kernel.Op;
import tlbcheck.model.kernel.Seq;
import tlbcheck.report.Lanes;

/** The README's "Writing an op" example, run: a user's own op, hunted and explored unchanged. */
class WritingAnOpTest {

    /**
     * flush_tlb_mm: TLBI ASIDE1IS drops every page of the address space from every CPU's TLB (and, with
     * BTM, from every SMMU's), whether or not this procedure changed a PTE. {@code local} stands for the
     * mistaken local_flush_tlb_mm, which reaches only the CPU it runs on.
     */
    record FlushTlbMm(boolean local) implements Op {
        @Override public String name() {
            return local ? "local_flush_tlb_mm (TLBI ASIDE1, this CPU)" : "flush_tlb_mm (TLBI ASIDE1IS)";
        }

        @Override public boolean invalidates() { return true; }

        @Override public State apply(Model model, State state, int cpu, Running running) {
            State s = state;
            for (int page = 0; page < s.pages(); page++) {
                if (!local) {
                    s = s.broadcastTlbi(page, model.platform().btm());
                } else if (s.cpuTlb(cpu, page).present()) {
                    s = s.withCpuTlb(cpu, page, Pte.INVALID);
                }
            }
            return s.withRunning(cpu, running.flushed().next());
        }
    }

    static Variant flushWholeMm(boolean local) {
        String flush = local ? "local_flush_tlb_mm" : "flush_tlb_mm";
        return Variants.V5.withKernel("V5-wrprotect-" + flush, "V5 whose change_protection ends with " + flush,
                MmPaths.LINUX_6_6.named("linux-6.6+" + flush).withFlushTlbRange(Seq.of(flush,
                        new FlushTlbMm(local),
                        NotifySecondary.withFlush("flush_tlb_mm->arch_invalidate_secondary_tlbs"))).kernel());
    }

    @Test
    void theBroadcastFlushOfTheWholeMmHolds() {
        Model model = new Model(flushWholeMm(false));
        assertFalse(Hunt.run(model, NoStaleAccessAfterRestriction.INSTANCE, HuntConfig.quick(3).withTries(2000)).violated());
        ExploreResult all = Explorer.explore(new Model(flushWholeMm(false), Variants.V5.smallScope()),
                NoStaleAccessAfterRestriction.INSTANCE, Explorer.Config.defaults());
        assertTrue(all.complete() && all.violation().isEmpty(), all.toString());
    }

    @Test
    void theLocalFlushLeavesAnotherCpuWritingAndTheTracesSaySo() {
        Model model = new Model(flushWholeMm(true));
        HuntResult r = Hunt.run(model, NoStaleAccessAfterRestriction.INSTANCE, HuntConfig.quick(3));
        assertTrue(r.violated(), "the hunt finds the missed CPU");
        ExploreResult all = Explorer.explore(new Model(flushWholeMm(true), Variants.V5.smallScope()),
                NoStaleAccessAfterRestriction.INSTANCE, Explorer.Config.defaults());
        Option<io.vavr.collection.Array<tlbcheck.model.step.Step>> shortest = all.trace();
        assertTrue(shortest.isDefined(), "exhaustive search finds it too");
        String lanes = Lanes.render(all.model(), shortest.get());
        assertTrue(lanes.contains("local_flush_tlb_mm (TLBI ASIDE1, this CPU) -> "), lanes);
    }
}
