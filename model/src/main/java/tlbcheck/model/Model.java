package tlbcheck.model;

import io.vavr.collection.Array;
import io.vavr.control.Option;
import tlbcheck.model.kernel.Kernel;
import tlbcheck.model.kernel.Procedure;
import tlbcheck.model.kernel.Trigger;
import tlbcheck.model.step.Advance;
import tlbcheck.model.step.AtcEvict;
import tlbcheck.model.step.AtcFill;
import tlbcheck.model.step.CpuAccess;
import tlbcheck.model.step.CpuEvict;
import tlbcheck.model.step.CpuFill;
import tlbcheck.model.step.DeviceAccess;
import tlbcheck.model.step.DeviceIssue;
import tlbcheck.model.step.HandleDeviceFault;
import tlbcheck.model.step.SmmuEvict;
import tlbcheck.model.step.SmmuFill;
import tlbcheck.model.step.Start;
import tlbcheck.model.step.Step;
import tlbcheck.model.step.VcpuAccess;
import tlbcheck.model.step.VcpuEvict;
import tlbcheck.model.step.VcpuFill;

/**
 * A variant in a scope: the initial state, and every step the machine can take. Random search,
 * exhaustive search and replay all go through {@link #fire}, so they share one semantics.
 */
public final class Model {

    private final Variant variant;
    private final Scope scope;
    private final Array<Step> candidates;
    /** Per procedure and pc: whether a CPU standing there holds a spinlock ({@link Procedure#holdsSpinlockAt}). */
    private final boolean[][] spinlockHeld;

    public Model(Variant variant) {
        this(variant, variant.scope());
    }

    public Model(Variant variant, Scope scope) {
        if (scope.writable() > 0 && variant.platform().guest() == Platform.Guest.ARM64_STAGE2
                && !variant.platform().hostMm()) {
            throw new IllegalArgumentException("scope " + scope + " of " + variant.name() + ": on " + variant.platform()
                    + " the process maps no guest memory at the start (the stage-2 block does), so no page can start"
                    + " writable; drop '-" + scope.writable() + "writable'");
        }
        for (Procedure p : variant.kernel().procedures()) {
            // A scope's range is at most its pages (Scope checks it).
            if (p.span() > scope.range()) {
                throw new IllegalArgumentException("scope " + scope + " of " + variant.name() + ": " + p.name()
                        + " is entered only on ranges of " + p.span() + " pages (onPages), and the scope's ranges go up to "
                        + scope.range() + "; give it " + p.span() + " pages and '-" + p.span() + "range'");
            }
        }
        this.variant = variant;
        this.scope = scope;
        this.candidates = allSteps(variant.kernel(), scope, variant.platform().guest(), variant.platform().ats());
        this.spinlockHeld = variant.kernel().procedures().map(p -> {
            boolean[] held = new boolean[p.length() + 1];
            for (int pc = 0; pc <= p.length(); pc++) held[pc] = p.holdsSpinlockAt(pc);
            return held;
        }).toJavaArray(boolean[][]::new);
    }

    /**
     * The procedure CPU {@code cpu} is in, if it stands where it holds a spinlock (a page-table lock, KVM's
     * {@code mmu_lock}): the CPU runs nothing else (no user access, no other thread) until it drops it.
     */
    public Option<Procedure> holdingSpinlock(State state, int cpu) {
        return holdsSpinlock(state, cpu) ? Option.some(variant.kernel().procedure(state.running(cpu).get().procedure()))
                : Option.none();
    }

    /** Whether {@link #holdingSpinlock} has a procedure: for the checks every explored state makes, without allocating. */
    public boolean holdsSpinlock(State state, int cpu) {
        Option<Running> r = state.running(cpu);
        return r.isDefined() && holdsSpinlockAt(r.get().procedure(), r.get().pc());
    }

    /** {@link Procedure#holdsSpinlockAt} of the kernel's procedure at {@code index}, looked up; past its end, none. */
    public boolean holdsSpinlockAt(int index, int pc) {
        boolean[] held = spinlockHeld[index];
        return held[Math.min(pc, held.length - 1)];
    }

    public Variant variant() { return variant; }
    public Scope scope() { return scope; }
    public Platform platform() { return variant.platform(); }
    public Kernel kernel() { return variant.kernel(); }

    public State initial() {
        return State.initial(scope, variant.platform());
    }

    /** Every step the scope allows, enabled or not, in a fixed order. */
    public Array<Step> candidates() {
        return candidates;
    }

    public Option<String> refusal(State state, Step step) {
        return step.refusal(this, state);
    }

    /** Takes a step, or throws {@link StepRefusedException} with the reason it is not enabled. */
    public Transition fire(State state, Step step) {
        Option<String> why = step.refusal(this, state);
        if (why.isDefined()) {
            throw new StepRefusedException(step, why.get());
        }
        return step.fire(this, state);
    }

    public Array<Step> enabled(State state) {
        return candidates.filter(step -> step.enabled(this, state));
    }

    private static Array<Step> allSteps(Kernel kernel, Scope scope, Platform.Guest guest, boolean ats) {
        java.util.List<Step> steps = new java.util.ArrayList<>();
        for (int c = 0; c < scope.cpus(); c++) {
            steps.add(new Advance(c));
            for (int d = 0; d < scope.smmus(); d++) {
                steps.add(new HandleDeviceFault(c, d));
            }
            for (Procedure p : kernel.procedures()) {
                if (p.trigger().entry() == Trigger.Entry.DEVICE_FAULT) continue;
                for (int page = 0; page < scope.pages(); page++) {
                    // A trigger says whether its path is entered by a read, a write, or both.
                    boolean read = p.trigger().startsOn(false);
                    boolean write = p.trigger().startsOn(true);
                    for (int n = 1; n <= (p.ranged() ? Math.min(scope.range(), scope.pages() - page) : 1); n++) {
                        if (!p.entersOn(n, scope.range())) continue;
                        if (read || !write) steps.add(new Start(c, p.name(), page, n, false));
                        if (write) steps.add(new Start(c, p.name(), page, n, true));
                    }
                }
            }
        }
        for (int page = 0; page < scope.pages(); page++) {
            for (int c = 0; c < scope.cpus(); c++) {
                steps.add(new CpuFill(c, page));
                steps.add(new CpuEvict(c, page));
                steps.add(new CpuAccess(c, page, false));
                steps.add(new CpuAccess(c, page, true));
            }
            for (int m = 0; m < scope.smmus(); m++) {
                steps.add(new SmmuFill(m, page));
                steps.add(new SmmuEvict(m, page));
                steps.add(new DeviceIssue(m, page, false));
                steps.add(new DeviceIssue(m, page, true));
                if (ats) {
                    steps.add(new AtcFill(m, page));
                    steps.add(new AtcEvict(m, page));
                }
            }
        }
        for (int m = 0; m < scope.smmus(); m++) {
            steps.add(new DeviceAccess(m));
        }
        if (guest != Platform.Guest.NONE) {
            for (int c = 0; c < scope.cpus(); c++) {
                for (int page = guest == Platform.Guest.ARM64_STAGE2 ? -1 : 0; page < scope.pages(); page++) {
                    steps.add(new VcpuFill(c, page));
                    steps.add(new VcpuEvict(c, page));
                    if (guest == Platform.Guest.ARM64_STAGE2 && page >= 0) {
                        steps.add(new VcpuAccess(c, page, false));
                        steps.add(new VcpuAccess(c, page, true));
                    }
                }
            }
        }
        return Array.ofAll(steps);
    }
}
