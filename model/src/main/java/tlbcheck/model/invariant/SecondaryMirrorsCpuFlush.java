package tlbcheck.model.invariant;

import io.vavr.control.Option;
import tlbcheck.model.Model;
import tlbcheck.model.Running;
import tlbcheck.model.Transition;

/**
 * Invariant 7 (seed 000: "no broadening or narrowing"): every CPU TLB flush of an address space with
 * secondary TLBs is matched by exactly one secondary invalidation of the same range, and none is sent
 * for a range where no PTE changed. Checked per procedure when it completes; the hunt also reports
 * the ratio over a whole run.
 */
public final class SecondaryMirrorsCpuFlush implements Invariant {

    public static final SecondaryMirrorsCpuFlush INSTANCE = new SecondaryMirrorsCpuFlush();

    @Override public String name() { return "secondary-mirrors-cpu-flush"; }
    @Override public int number() { return 7; }
    @Override public String meaning() {
        return "each CPU TLB flush is matched by one secondary invalidation, and none is sent without one";
    }

    @Override
    public boolean appliesTo(Model model) {
        return model.scope().smmus() > 0;
    }

    @Override
    public boolean racy(Model model, Transition t) {
        return t.completed().isDefined() && t.completed().get().flushes() + t.completed().get().secondary() > 0;
    }

    @Override
    public String racyState() {
        return "a procedure completed after flushing or invalidating a TLB";
    }

    @Override
    public Option<Violation> check(Model model, Transition t) {
        if (t.completed().isEmpty()) return Option.none();
        Running r = t.completed().get();
        if (r.flushes() == r.secondary()) return Option.none();
        String proc = model.kernel().procedure(r.procedure()).name() + " on " + t.step().actor();
        String what;
        if (r.flushes() == 0) {
            what = "sent " + r.secondary() + " secondary invalidation(s) of " + r.pagesText()
                    + " without any CPU flush: no PTE changed there (the invalidate_range_end flood)";
        } else if (r.secondary() == 0) {
            what = "flushed the CPU TLBs for " + r.pagesText() + " " + r.flushes()
                    + " time(s) and never invalidated the secondary TLBs (narrowing)";
        } else {
            what = "flushed the CPU TLBs for " + r.pagesText() + " " + r.flushes() + " time(s) but sent "
                    + r.secondary() + " secondary invalidations (" + (r.secondary() > r.flushes() ? "broadening" : "narrowing") + ")";
        }
        return Option.some(violation(proc + " " + what,
                "CPU flushes " + r.flushes() + ", secondary invalidations " + r.secondary()));
    }
}
