package tlbcheck.model.kernel;

import tlbcheck.model.Model;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/**
 * {@code kvm_check_request(KVM_REQ_APIC_PAGE_RELOAD)}: the vCPU consumes the request before it
 * reloads, so a request made during the reload is seen again before the next guest entry.
 */
public record KvmCheckRequest() implements Op {

    public static final KvmCheckRequest INSTANCE = new KvmCheckRequest();

    @Override
    public String name() {
        return "kvm_check_request(APIC_PAGE_RELOAD)";
    }

    /** Taken with the entry into the reload, so no second reload of the same VMCS can start. */
    @Override
    public boolean silent() {
        return true;
    }

    @Override
    public State apply(Model model, State state, int cpu, Running running) {
        return state.withKvm(state.kvm().withApic(state.kvm().apicFrame(), false).withApicReloading(true))
                .withRunning(cpu, running.next());
    }
}
