package tlbcheck.model.invariant;

import io.vavr.control.Option;
import tlbcheck.model.Model;
import tlbcheck.model.Running;
import tlbcheck.model.State;
import tlbcheck.model.Transition;
import tlbcheck.model.kernel.Op;
import tlbcheck.model.kernel.Procedure;
import tlbcheck.model.kernel.ResumeDevice;
import tlbcheck.model.step.Advance;

/**
 * Invariant 8: a fault is answered after it is resolved. A fault handler that resumes the device with
 * success (the PRI page response) has first made the faulting access possible: when it resumes, the
 * PTE grants the access, or the handler's own ops that would grant it are behind it. A response sent
 * before the fix is a driver bug even though the device merely faults again, which forward progress
 * (rightly) does not count.
 */
public final class FaultAnsweredAfterResolved implements Invariant {

    public static final FaultAnsweredAfterResolved INSTANCE = new FaultAnsweredAfterResolved();

    @Override public String name() { return "fault-answered-after-resolved"; }
    @Override public int number() { return 8; }
    @Override public String meaning() {
        return "a fault handler resumes the device only once the faulting access is possible or its own fix has run";
    }

    @Override
    public boolean appliesTo(Model model) {
        return model.scope().smmus() > 0;
    }

    @Override
    public boolean racy(Model model, Transition t) {
        return t.step() instanceof Advance a && t.before().running(a.cpu()).exists(r -> r.device() >= 0)
                && resumes(model, t.before(), a.cpu());
    }

    @Override
    public String racyState() {
        return "a fault handler answered a device fault";
    }

    private static boolean resumes(Model model, State s, int cpu) {
        Running r = s.running(cpu).get();
        return model.kernel().procedure(r.procedure()).op(r.pc()).unwrapped() instanceof ResumeDevice;
    }

    @Override
    public Option<Violation> check(Model model, Transition t) {
        if (!(t.step() instanceof Advance a)) return Option.none();
        State s = t.before();
        Option<Running> running = s.running(a.cpu());
        if (running.isEmpty() || running.get().device() < 0 || !resumes(model, s, a.cpu())) return Option.none();
        Running r = running.get();
        if (s.pte(r.page()).permits(r.write())) return Option.none();
        Procedure p = model.kernel().procedure(r.procedure());
        for (int pc = r.pc() + 1; pc < p.length(); pc++) {
            Op fix = p.op(pc);
            if (fix.resolvesFault()) {
                return Option.some(violation(p.name() + " on CPU" + a.cpu() + " resumed DEV" + r.device()
                                + " before resolving its " + (r.write() ? "write" : "read") + " fault on page " + r.page()
                                + ": the PTE is " + s.pte(r.page()) + " and '" + fix.name() + "' is still to come",
                        "page " + r.page() + ": PTE " + s.pte(r.page()) + ", DEV" + r.device() + " resumed"));
            }
        }
        return Option.none();
    }
}
