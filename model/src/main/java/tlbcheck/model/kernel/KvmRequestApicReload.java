package tlbcheck.model.kernel;

import tlbcheck.model.Kvm;
import tlbcheck.model.Model;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/**
 * x86 KVM asks every vCPU to reload the APIC-access page (KVM_REQ_APIC_PAGE_RELOAD) when the range
 * covers it. Where this op sits (range start, or the co-opted invalidate_range) is the variant.
 */
public record KvmRequestApicReload(String site) implements Op {

    @Override
    public String name() {
        return site + "->request APIC reload";
    }

    /** Part of the callback it follows: setting a request bit and kicking the vCPUs out of guest mode. */
    @Override
    public boolean silent() {
        return true;
    }

    @Override
    public State apply(Model model, State state, int cpu, Running running) {
        Kvm k = state.kvm();
        // Without the APIC-access page there is no private memslot to cover, so no request (kvm_unmap_gfn_range).
        if (!model.platform().apicAccessPage() || !k.present() || !running.covers(Kvm.APIC_PAGE)) {
            return state.withRunning(cpu, running.next());
        }
        return state.withKvm(k.withApic(k.apicFrame(), true)).withRunning(cpu, running.next());
    }
}
