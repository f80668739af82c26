package tlbcheck.model.kernel;

import tlbcheck.model.Model;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/**
 * The mmu notifier's secondary-TLB invalidation ({@code invalidate_range} before Linux 6.6,
 * {@code arch_invalidate_secondary_tlbs} from 6.6): the SVA driver sends TLBI by VA, one command per page of the
 * range, plus CMD_SYNC to every SMMU. {@code site} names the kernel function that calls it; with
 * {@code onlyAfterFlush} it is called only where the CPU flush beside it ran, as from the arch flush functions;
 * without, always, as from {@code invalidate_range_end} (which is what floods the SMMU on pte_none ranges).
 *
 * <p>With BTM the driver ({@code arm_smmu_mm_invalidate_range}) sends no TLB command: the CPU's broadcast
 * TLBI already reached the SMMU TLB, and it invalidates only the ATC. The call is still a secondary
 * invalidation command on the SMMU's queue, so invariant 7 counts it (the flood is in commands), but it
 * drops nothing from the SMMU TLB.
 *
 * <p>A driver may invalidate only the first pages of the range ({@link #firstPages}), or switch to one
 * invalidation of the whole ASID ({@code arm_smmu_tlb_inv_asid}) above a size ({@link #wholeAsidAbove}), as the
 * fix for the per-page soft lockup does (d5afb4b47e13).
 *
 * <p>With ATS ({@code Platform.withAts()}) the driver then invalidates the devices' ATCs over the same pages
 * ({@code arm_smmu_atc_inv_domain}), after the TLB, whatever BTM did. {@link #withoutAtc} leaves that out, for a driver
 * that forgets it or does it apart ({@link InvalidateAtc}).
 *
 * @param cover 0 for the whole range, k for its first k pages only
 * @param asidAbove {@link #NEVER} (the default), or n: a range of more than n pages is invalidated by ASID, in one
 *     command (0: always)
 * @param atc whether it invalidates the ATCs too, where the platform has ATS
 */
public record NotifySecondary(String site, boolean onlyAfterFlush, int cover, int asidAbove, boolean atc) implements Op {

    /** No size switches to the whole address space. */
    public static final int NEVER = Integer.MAX_VALUE;


    public static NotifySecondary always(String site) {
        return new NotifySecondary(site, false, 0, NEVER, true);
    }

    public static NotifySecondary withFlush(String site) {
        return new NotifySecondary(site, true, 0, NEVER, true);
    }

    /** The same invalidation reaching only the first {@code pages} pages of the range. */
    public NotifySecondary firstPages(int pages) {
        return new NotifySecondary(site, onlyAfterFlush, pages, asidAbove, atc);
    }

    /** The same invalidation, by ASID (one command, every page) when the range has more than {@code pages} pages. */
    public NotifySecondary wholeAsidAbove(int pages) {
        return new NotifySecondary(site, onlyAfterFlush, cover, pages, atc);
    }

    /** The ATC half of this call alone, where it is sent from and over the pages this call covers. */
    public InvalidateAtc atcOnly() {
        return new InvalidateAtc(site, onlyAfterFlush, cover);
    }

    /** The same invalidation of the SMMU TLBs, leaving the devices' ATCs as they are. */
    public NotifySecondary withoutAtc() {
        return new NotifySecondary(site, onlyAfterFlush, cover, asidAbove, false);
    }

    @Override
    public String name() {
        return site + (atc ? "" : " (TLB only, no ATC)") + (cover > 0 ? " (first " + cover + " page(s))" : "") + (asidAbove == 0 ? " (by ASID)" : asidAbove < NEVER ? " (by ASID above " + asidAbove + " page(s))" : "");
    }

    @Override
    public boolean invalidates() {
        return true;
    }

    @Override
    public String describe(Model model, State state, int cpu, Running running) {
        if (running.pages() > asidAbove) return site + " (CMD_TLBI_NH_ASID: whole ASID)";
        int pages = running.coveredLast(cover) - running.page() + 1;
        return pages > 1 ? name() + " (by VA x" + pages + " pages)" : name();
    }

    @Override
    public String skipReason(Model model, State state, int cpu, Running running) {
        return "this procedure changed no PTE, so no CPU flush to mirror";
    }

    @Override
    public State apply(Model model, State state, int cpu, Running running) {
        if (onlyAfterFlush && !running.wrotePte()) {
            return state.withRunning(cpu, running.next());
        }
        boolean wholeAsid = running.pages() > asidAbove;
        int first = wholeAsid ? 0 : running.page();
        int last = wholeAsid ? state.pages() - 1 : running.coveredLast(cover);
        State s = state;
        for (int page = first; !model.platform().btm() && page <= last; page++) {
            s = s.invalidateSmmus(page);
        }
        for (int page = first; atc && model.platform().ats() && page <= last; page++) {
            s = s.invalidateAtcs(page);
        }
        int commands = wholeAsid ? 1 : last - first + 1;
        return s.withRunning(cpu, s.running(cpu).get().invalidatedSecondary(commands).next());
    }
}
