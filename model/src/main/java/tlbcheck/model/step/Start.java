package tlbcheck.model.step;

import io.vavr.control.Option;
import tlbcheck.model.Model;
import tlbcheck.model.Running;
import tlbcheck.model.State;
import tlbcheck.model.Transition;
import tlbcheck.model.kernel.Procedure;
import tlbcheck.model.kernel.Trigger;

/** An idle CPU enters a kernel procedure on a page (a fault, a syscall, reclaim). */
public record Start(int cpu, String procedure, int page, boolean write) implements Step {

    @Override
    public Option<String> refusal(Model model, State s) {
        Option<String> bad = Step.checkIndex("CPU", cpu, s.cpus()).orElse(() -> Step.checkIndex("page", page, s.pages()));
        if (bad.isDefined()) return bad;
        Option<Procedure> p = model.kernel().find(procedure);
        if (p.isEmpty()) {
            return Option.some("kernel " + model.kernel().name() + " has no procedure '" + procedure + "'; it has "
                    + model.kernel().procedures().map(Procedure::name).mkString(", "));
        }
        if (s.running(cpu).isDefined()) return Option.some("CPU" + cpu + " is busy in another procedure");
        Trigger trigger = p.get().trigger();
        if (trigger == Trigger.DEVICE_FAULT) return Option.some(procedure + " is entered by HandleDeviceFault");
        if (!trigger.allows(s.pte(page))) {
            return Option.some(procedure + " is entered on " + trigger + " and page " + page + " is " + s.pte(page));
        }
        return Option.none();
    }

    @Override
    public boolean enabled(Model model, State s) {
        if (cpu >= s.cpus() || page >= s.pages() || s.running(cpu).isDefined()) return false;
        int index = model.kernel().indexOf(procedure);
        if (index < 0) return false;
        Trigger trigger = model.kernel().procedure(index).trigger();
        return trigger != Trigger.DEVICE_FAULT && trigger.allows(s.pte(page));
    }

    @Override
    public Transition fire(Model model, State s) {
        Running r = Running.start(model.kernel().indexOf(procedure), page, write, -1);
        return Transition.of(s, this, s.withRunning(cpu, r));
    }

    @Override public String actor() { return "CPU" + cpu; }

    @Override
    public String describe(Model model, State before) {
        return procedure + "(p" + page + (write ? ", write" : "") + ")";
    }
}
