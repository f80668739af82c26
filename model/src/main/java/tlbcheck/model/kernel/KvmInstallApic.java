package tlbcheck.model.kernel;

import tlbcheck.model.Model;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/** {@code vmcs_write64(APIC_ACCESS_ADDR, pfn)}: the VMCS now caches the translated frame. */
public record KvmInstallApic() implements Op {

    public static final KvmInstallApic INSTANCE = new KvmInstallApic();

    @Override
    public String name() {
        return "write APIC_ACCESS_ADDR";
    }

    @Override
    public State apply(Model model, State state, int cpu, Running running) {
        return state.withKvm(state.kvm().withApic(running.newFrame(), state.kvm().apicReload()).withApicReloading(false))
                .withRunning(cpu, running.next());
    }
}
