package tlbcheck.model.kernel;

import tlbcheck.model.Kvm;
import tlbcheck.model.Model;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/**
 * Stage-2 TLB invalidation by IPA of the procedure's range (with its DSB): inner-shareable reaches
 * every vCPU's TLB, non-shareable only this CPU's. Issued when the procedure changed the entry, or
 * {@code always} (the permission-fault handler's, which is what guarantees the faulting vCPU progress).
 */
public record S2Tlbi(boolean broadcast, S2Change change, boolean always) implements Op {

    /** Only when this procedure changed the entry. */
    public S2Tlbi(boolean broadcast, S2Change change) {
        this(broadcast, change, false);
    }

    @Override
    public String name() {
        return broadcast ? "__kvm_tlb_flush_vmid_ipa (TLBI IPAS2E1IS)" : "__kvm_tlb_flush_vmid_ipa_nsh (TLBI IPAS2E1)";
    }

    @Override
    public boolean invalidates() {
        return true;
    }

    @Override
    public String skipReason(Model model, State state, int cpu, Running running) {
        return "this procedure changed no stage-2 entry";
    }

    @Override
    public State apply(Model model, State state, int cpu, Running running) {
        if (!running.wrotePte() && !always) return state.withRunning(cpu, running.next());
        Kvm k = state.kvm();
        int only = broadcast ? -1 : cpu;
        if (change.wholeRange()) {
            for (int g = 0; g < k.s2().size(); g++) k = k.tlbiIpa(g, only);
        } else {
            k = k.tlbiIpa(running.page(), only);
        }
        return state.withKvm(k).withRunning(cpu, running.next());
    }
}
