package tlbcheck.model.step;

import io.vavr.control.Option;
import tlbcheck.model.Model;
import tlbcheck.model.Running;
import tlbcheck.model.State;
import tlbcheck.model.Transition;
import tlbcheck.model.kernel.Op;
import tlbcheck.model.kernel.Procedure;

/** The CPU runs the next atomic op of the procedure it is in; after the last op the CPU is idle again. */
public record Advance(int cpu) implements Step {

    @Override
    public Option<String> refusal(Model model, State s) {
        Option<String> bad = Step.checkIndex("CPU", cpu, s.cpus());
        if (bad.isDefined()) return bad;
        Option<Running> r = s.running(cpu);
        if (r.isEmpty()) return Option.some("CPU" + cpu + " is not in a procedure");
        Op op = model.kernel().procedure(r.get().procedure()).op(r.get().pc());
        return op.refusal(model, s, cpu, r.get()).map(why -> op.name() + " must wait: " + why);
    }

    @Override
    public boolean enabled(Model model, State s) {
        if (cpu >= s.cpus() || s.running(cpu).isEmpty()) return false;
        Running r = s.running(cpu).get();
        return model.kernel().procedure(r.procedure()).op(r.pc()).ready(model, s, cpu, r);
    }

    @Override
    public Transition fire(Model model, State s) {
        Running r = s.running(cpu).get();
        Procedure p = model.kernel().procedure(r.procedure());
        State after = p.settle(model, p.op(r.pc()).apply(model, s, cpu, r), cpu);
        Running moved = after.running(cpu).get();
        if (moved.pc() >= p.length()) {
            return new Transition(s, this, after.withRunning(cpu, Option.none()), Option.some(moved), -1);
        }
        return Transition.of(s, this, after);
    }

    @Override public String actor() { return "CPU" + cpu; }

    @Override
    public String describe(Model model, State before) {
        Running r = before.running(cpu).get();
        Procedure p = model.kernel().procedure(r.procedure());
        return p.name() + ": " + p.narrate(model, before, cpu);
    }
}
