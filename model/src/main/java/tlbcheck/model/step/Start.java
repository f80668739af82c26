package tlbcheck.model.step;

import io.vavr.control.Option;
import tlbcheck.model.Model;
import tlbcheck.model.Running;
import tlbcheck.model.State;
import tlbcheck.model.Transition;
import tlbcheck.model.kernel.Procedure;
import tlbcheck.model.kernel.Trigger;

/**
 * An idle CPU enters a kernel procedure on a page (a fault, reclaim) or, for a ranged procedure (a syscall), on
 * {@code pages} pages from {@code page}.
 */
public record Start(int cpu, String procedure, int page, int pages, boolean write) implements Step {

    public Start(int cpu, String procedure, int page, boolean write) {
        this(cpu, procedure, page, 1, write);
    }

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
        if (trigger.entry() == Trigger.Entry.DEVICE_FAULT) return Option.some(procedure + " is entered by HandleDeviceFault");
        if (trigger.entry() == Trigger.Entry.VCPU_FAULT) return Option.some(procedure + " is entered by a faulting VcpuAccess");
        if (pages != 1 && !p.get().ranged()) return Option.some(procedure + " is not entered on a range; give it 1 page");
        if (p.get().span() > 0 && pages != p.get().span()) {
            return Option.some(procedure + " is entered only on ranges of " + p.get().span() + " pages (onPages); give it "
                    + p.get().span());
        }
        if (pages < 1 || page + pages > s.pages()) {
            return Option.some("pages " + page + ".." + (page + pages - 1) + " are outside the scope's " + s.pages() + " pages");
        }
        if (pages > model.scope().range()) {
            return Option.some("a range of " + pages + " pages is beyond the scope's range " + model.scope().range());
        }
        if (!trigger.allows(s, page)) {
            return Option.some(procedure + " is entered on " + trigger + " and page " + page + " is " + s.pte(page)
                    + (s.kvm().present() ? " (stage 2: " + s.kvm().mapping(page) + ")" : ""));
        }
        if (grantedByOwnTlb(trigger, s)) {
            return Option.some("CPU" + cpu + "'s TLB grants the " + (write ? "write" : "read") + " (" + s.cpuTlb(cpu, page)
                    + "): the access does not fault, so " + procedure + " is not entered; evict the entry first");
        }
        return Option.none();
    }

    @Override
    public boolean enabled(Model model, State s) {
        if (cpu >= s.cpus() || page + pages > s.pages() || s.running(cpu).isDefined()) return false;
        int index = model.kernel().indexOf(procedure);
        if (index < 0) return false;
        Trigger trigger = model.kernel().procedure(index).trigger();
        return trigger.entry() == Trigger.Entry.START && model.kernel().procedure(index).entersOn(pages, model.scope().range())
                && trigger.allows(s, page) && !grantedByOwnTlb(trigger, s);
    }

    /** A fault the CPU's own TLB entry would not take: the entry grants the access. */
    private boolean grantedByOwnTlb(Trigger trigger, State s) {
        return trigger.byAccess() && s.cpuTlb(cpu, page).permits(write);
    }

    @Override
    public Transition fire(Model model, State s) {
        int index = model.kernel().indexOf(procedure);
        // Leading silent ops belong to the entry itself (kvm_check_request consumes the request on entry).
        State after = model.kernel().procedure(index).settle(model, s.withRunning(cpu, Running.start(index, page, pages, write, -1)), cpu);
        return Transition.of(s, this, after);
    }

    @Override public String actor() { return "CPU" + cpu; }

    @Override
    public String describe(Model model, State before) {
        return procedure + "(p" + page + (pages > 1 ? "..p" + (page + pages - 1) : "") + (write ? ", write" : "") + ")";
    }
}
