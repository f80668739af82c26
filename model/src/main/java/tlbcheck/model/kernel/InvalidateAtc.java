package tlbcheck.model.kernel;

import tlbcheck.model.Model;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/**
 * The ATC invalidation on its own ({@code arm_smmu_atc_inv_domain}: CMD_ATC_INV to every ATS device, then CMD_SYNC),
 * over the procedure's range, for a driver that sends it apart from the TLB invalidation: after
 * {@code NotifySecondary.withoutAtc()}, as the driver does, or before it, which lets a device refill its ATC from
 * the TLB entry still to be invalidated. {@link NotifySecondary#atcOnly} is the ATC half of a notifier call. Nothing to
 * do where the platform has no ATS.
 *
 * @param onlyAfterFlush sent only where the procedure changed a PTE, as a notifier call from the arch flush is
 * @param cover 0 for the whole range, k for its first k pages only
 */
public record InvalidateAtc(String site, boolean onlyAfterFlush, int cover) implements Op {

    /** Sent always, over the whole range. */
    public InvalidateAtc(String site) {
        this(site, false, 0);
    }

    /** The same invalidation reaching only the first {@code pages} pages of the range. */
    public InvalidateAtc firstPages(int pages) {
        return new InvalidateAtc(site, onlyAfterFlush, pages);
    }

    @Override
    public String name() {
        return site + " (ATC" + (cover > 0 ? ", first " + cover + " page(s)" : "") + ")";
    }

    @Override
    public boolean invalidates() {
        return true;
    }

    @Override
    public String skipReason(Model model, State state, int cpu, Running running) {
        return model.platform().ats() ? "this procedure changed no PTE, so no CPU flush to mirror" : "the platform has no ATS";
    }

    /** Whether it is sent at all: on an ATS platform, and where it mirrors a CPU flush, after a PTE change. */
    private boolean sent(Model model, Running running) {
        return model.platform().ats() && (!onlyAfterFlush || running.wrotePte());
    }

    @Override
    public boolean skipped(Model model, State state, State after, int cpu, Running running) {
        return !sent(model, running);
    }

    @Override
    public State apply(Model model, State state, int cpu, Running running) {
        State s = state;
        boolean sent = sent(model, running);
        for (int page = running.page(); sent && page <= running.coveredLast(cover); page++) {
            s = s.invalidateAtcs(page);
        }
        return s.withRunning(cpu, s.running(cpu).get().next());
    }
}
