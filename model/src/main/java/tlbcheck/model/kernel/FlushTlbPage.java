package tlbcheck.model.kernel;

import tlbcheck.model.Model;
import tlbcheck.model.Pte;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/**
 * A CPU TLB flush of the procedure's range by VA ({@code flush_tlb_page}, {@code __flush_tlb_range}), including its
 * DSB: one TLBI per page. Issued only when the procedure changed a present PTE, as {@code mmu_gather} and
 * {@code change_protection} skip ranges they did not touch. Broadcast (TLBI ...IS) reaches every CPU and, with BTM,
 * every SMMU; local reaches this CPU.
 *
 * <p>Two knobs a patch may turn: {@link #firstPages} flushes only the first pages of the range (a flush that
 * misses part of it), and {@link #wholeMmAbove} switches to one TLBI by ASID ({@code flush_tlb_mm}: every page of
 * the address space) when the range has more pages than the threshold, as arm64's {@code __flush_tlb_range} does
 * above {@code MAX_TLBI_OPS}. Invariant 7 counts commands: n per-page TLBIs, or one by ASID.
 *
 * @param cover 0 for the whole range, k for its first k pages only
 * @param mmAbove {@link #NEVER} (the default), or n: a range of more than n pages is flushed by ASID (0: always)
 * @param unconditional flush even when this procedure changed no PTE ({@link #always})
 */
public record FlushTlbPage(String kernelName, boolean broadcast, int cover, int mmAbove, boolean unconditional) implements Op {

    /** No size switches to the whole address space. */
    public static final int NEVER = Integer.MAX_VALUE;


    public static FlushTlbPage broadcast(String kernelName) {
        return new FlushTlbPage(kernelName, true, 0, NEVER, false);
    }

    public static FlushTlbPage local(String kernelName) {
        return new FlushTlbPage(kernelName, false, 0, NEVER, false);
    }

    /** {@code flush_tlb_mm}: one broadcast TLBI ASIDE1IS, every page of the address space, whatever the range. */
    public static FlushTlbPage wholeMm(String kernelName) {
        return new FlushTlbPage(kernelName, true, 0, 0, false);
    }

    /** The same flush reaching only the first {@code pages} pages of the range. */
    public FlushTlbPage firstPages(int pages) {
        return new FlushTlbPage(kernelName, broadcast, pages, mmAbove, unconditional);
    }

    /** The same flush, by ASID over the whole address space when the range has more than {@code pages} pages. */
    public FlushTlbPage wholeMmAbove(int pages) {
        return new FlushTlbPage(kernelName, broadcast, cover, pages, unconditional);
    }

    /**
     * The same flush issued whether or not this procedure changed a PTE, as {@code flush_tlb_mm} and
     * {@code flush_tlb_range} are wherever the kernel calls them outright.
     */
    public FlushTlbPage always() {
        return new FlushTlbPage(kernelName, broadcast, cover, mmAbove, true);
    }

    @Override
    public String name() {
        return name(false);
    }

    /** The name with the instructions of the host: arm64's TLBI, or x86's INVLPG, on other CPUs by a shootdown IPI. */
    private String name(boolean x86) {
        String how = x86 ? broadcast ? "IPI + INVLPG" : "INVLPG local" : broadcast ? "TLBI IS" : "TLBI local";
        return kernelName + " (" + how + (cover > 0 ? ", first " + cover + " page(s)" : "")
                + (mmAbove == 0 ? ", by ASID" : mmAbove < NEVER ? ", by ASID above " + mmAbove + " page(s)" : "")
                + (unconditional ? ", always" : "") + ")";
    }

    @Override
    public boolean invalidates() {
        return true;
    }

    @Override
    public String skipReason(Model model, State state, int cpu, Running running) {
        return "this procedure changed no PTE, so it owes no flush";
    }

    @Override
    public String describe(Model model, State state, int cpu, Running running) {
        boolean x86 = model.platform().x86();
        if (running.pages() > mmAbove) {
            return kernelName + (x86 ? " (" + (broadcast ? "IPI + " : "") + "CR3 reload: whole mm)"
                    : " (TLBI ASIDE1" + (broadcast ? "IS" : "") + ": whole mm)");
        }
        int pages = running.coveredLast(cover) - running.page() + 1;
        return pages > 1 ? name(x86) + " x" + pages + " pages" : name(x86);
    }

    @Override
    public State apply(Model model, State state, int cpu, Running running) {
        if (!unconditional && !running.wrotePte()) {
            return state.withRunning(cpu, running.next());
        }
        boolean wholeMm = running.pages() > mmAbove;
        int first = wholeMm ? 0 : running.page();
        int last = wholeMm ? state.pages() - 1 : running.coveredLast(cover);
        State s = state;
        for (int page = first; page <= last; page++) {
            s = broadcast ? s.broadcastTlbi(page, model.platform().btm()) : s.withCpuTlb(cpu, page, Pte.INVALID);
        }
        int commands = wholeMm ? 1 : last - first + 1;
        return s.withRunning(cpu, s.running(cpu).get().flushed(commands).next());
    }
}
