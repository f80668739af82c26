package tlbcheck.model.kernel;

import tlbcheck.model.Model;
import tlbcheck.model.Perm;
import tlbcheck.model.Pte;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/**
 * The attribute walker of {@code kvm_pgtable_stage2_relax_perms} (arch/arm64/kvm/hyp/pgtable.c, Linux 6.4 and later:
 * {@code stage2_update_leaf_attrs} with {@code stage2_attr_walker}): one CAS, in place and without a break, that
 * makes the leaf mapping the page writable if it is read-only, at whatever level the walk ends: a page entry, or
 * the block covering the page (so a read-only block is relaxed whole, as the walker sets the bit on the block
 * leaf). On a writable leaf there is nothing to change.
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
        if (k.s2Block() instanceof Pte.Valid b && b.perm() == Perm.RO) {
            var relaxed = k.withS2Block(Pte.valid(b.frame(), Perm.RW));
            return state.withKvm(relaxed).withRunning(cpu, running.wrote().owes(k.vcpusMadeStale(running.page(),
                    k.mapping(running.page()), relaxed.mapping(running.page()))).next());
        }
        Pte entry = k.s2().get(running.page());
        if (k.s2Block().none() && entry instanceof Pte.Valid v && v.perm() == Perm.RO) {
            Pte relaxed = Pte.valid(v.frame(), Perm.RW);
            return state.withKvm(k.withS2(running.page(), relaxed))
                    .withRunning(cpu, running.wrote().owes(k.vcpusMadeStale(running.page(), entry, relaxed)).next());
        }
        return state.withRunning(cpu, running.next());
    }
}
