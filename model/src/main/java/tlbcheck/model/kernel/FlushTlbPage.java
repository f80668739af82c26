package tlbcheck.model.kernel;

import tlbcheck.model.Model;
import tlbcheck.model.Pte;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/**
 * A CPU TLB flush of the procedure's page, including its DSB. Issued only when the procedure
 * changed a present PTE, as {@code mmu_gather} and {@code change_protection} skip ranges they did not
 * touch. Broadcast (TLBI ...IS) reaches every CPU and, with BTM, every SMMU; local reaches this CPU.
 */
public record FlushTlbPage(String kernelName, boolean broadcast) implements Op {

    public static FlushTlbPage broadcast(String kernelName) {
        return new FlushTlbPage(kernelName, true);
    }

    public static FlushTlbPage local(String kernelName) {
        return new FlushTlbPage(kernelName, false);
    }

    @Override
    public String name() {
        return kernelName + (broadcast ? " (TLBI IS)" : " (TLBI local)");
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
    public State apply(Model model, State state, int cpu, Running running) {
        if (!running.wrotePte()) {
            return state.withRunning(cpu, running.next());
        }
        int page = running.page();
        State s = broadcast
                ? state.broadcastTlbi(page, model.platform().btm())
                : state.withCpuTlb(cpu, page, Pte.INVALID);
        return s.withRunning(cpu, running.flushed().next());
    }
}
