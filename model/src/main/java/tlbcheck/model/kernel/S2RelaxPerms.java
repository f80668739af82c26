package tlbcheck.model.kernel;

import tlbcheck.model.Model;
import tlbcheck.model.Perm;
import tlbcheck.model.Pte;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/**
 * The attribute walker of {@code kvm_pgtable_stage2_relax_perms}: one CAS that makes the leaf for the
 * page writable if it is a read-only page entry; on a writable leaf (page or block) there is nothing
 * to change.
 */
public record S2RelaxPerms() implements Op {

    public static final S2RelaxPerms INSTANCE = new S2RelaxPerms();

    @Override
    public String name() {
        return "relax stage-2 permissions (CAS)";
    }

    @Override
    public State apply(Model model, State state, int cpu, Running running) {
        var k = state.kvm();
        Pte entry = k.s2().get(running.page());
        if (k.s2Block().none() && entry instanceof Pte.Valid v && v.perm() == Perm.RO) {
            Pte relaxed = Pte.valid(v.frame(), Perm.RW);
            return state.withKvm(k.withS2(running.page(), relaxed))
                    .withRunning(cpu, running.wrote().owes(k.vcpusMadeStale(running.page(), entry, relaxed)).next());
        }
        return state.withRunning(cpu, running.next());
    }
}
