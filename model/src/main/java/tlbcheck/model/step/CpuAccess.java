package tlbcheck.model.step;

import io.vavr.control.Option;
import tlbcheck.model.Model;
import tlbcheck.model.Pte;
import tlbcheck.model.State;
import tlbcheck.model.Transition;
import tlbcheck.model.kernel.Procedure;

/**
 * A CPU load or store that translates without faulting: through its TLB entry, or through a walk
 * that fills one. An access that would fault is not this step: it is the start of a fault procedure.
 * A CPU that holds a spinlock (a page-table lock, KVM's mmu_lock: preemption is off) makes no user access until it
 * drops it.
 */
public record CpuAccess(int cpu, int page, boolean write) implements Step {

    @Override
    public Option<String> refusal(Model model, State s) {
        Option<String> bad = Step.checkIndex("CPU", cpu, s.cpus()).orElse(() -> Step.checkIndex("page", page, s.pages()));
        if (bad.isDefined()) return bad;
        Option<Procedure> holding = model.holdingSpinlock(s, cpu);
        if (holding.isDefined()) {
            return Option.some("CPU" + cpu + " is in " + holding.get().name() + " holding a spinlock (a page-table lock or"
                    + " mmu_lock): it runs no user access until it drops it");
        }
        Pte cached = s.cpuTlb(cpu, page);
        if (cached.present() ? cached.permits(write) : s.pte(page).permits(write)) return Option.none();
        // The fault paths of this kernel that this access, on this PTE, would enter.
        String faults = model.kernel().procedures().filter(p -> p.trigger().byAccess() && p.trigger().startsOn(write)
                && p.trigger().allows(s, page)).map(p -> p.name()).mkString(" or ");
        return Option.some("the " + (write ? "write" : "read") + " would fault" + (faults.isEmpty()
                ? " (" + (cached.present() ? "CPU" + cpu + "'s TLB entry " + cached : "PTE " + s.pte(page))
                        + "), and no fault path of kernel " + model.kernel().name() + " is entered on PTE " + s.pte(page)
                : "; start " + faults + " instead"));
    }

    @Override
    public boolean enabled(Model model, State s) {
        if (cpu >= s.cpus() || page >= s.pages() || model.holdsSpinlock(s, cpu)) return false;
        Pte cached = s.cpuTlb(cpu, page);
        return cached.present() ? cached.permits(write) : s.pte(page).permits(write);
    }

    @Override
    public Transition fire(Model model, State s) {
        Pte cached = s.cpuTlb(cpu, page);
        if (cached.present()) {
            return new Transition(s, this, s, Option.none(), cached.frame());
        }
        Pte pte = s.pte(page);
        return new Transition(s, this, s.withCpuTlb(cpu, page, pte), Option.none(), pte.frame());
    }

    @Override public String actor() { return "CPU" + cpu; }

    @Override
    public String describe(Model model, State before) {
        Pte cached = before.cpuTlb(cpu, page);
        Pte via = cached.present() ? cached : before.pte(page);
        return (write ? "store" : "load") + " p" + page + " -> f" + via.frame() + (cached.present() ? "" : " (walk)");
    }
}
