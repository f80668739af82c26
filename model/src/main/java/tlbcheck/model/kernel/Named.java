package tlbcheck.model.kernel;

import io.vavr.control.Option;
import tlbcheck.model.Model;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/**
 * An op under the kernel's name for it where it is used:
 * {@code Op.named("zap_pte_range: ptep_get_and_clear_full", ClearPte.UNMAP)}
 * prints under that name in lanes, {@code explain} and Mermaid instead of the name of the op it borrows. Everything else is the wrapped op's.
 */
public record Named(String name, Op op) implements Op {

    public Named {
        if (op instanceof Seq || op instanceof When || op instanceof IfBbm2) {
            throw new IllegalArgumentException("name the ops inside " + op.name() + ", or give the Seq its name: a "
                    + op.getClass().getSimpleName() + " is spliced into its procedure and has no step of its own");
        }
    }

    @Override public Option<String> refusal(Model model, State state, int cpu, Running running) {
        return op.refusal(model, state, cpu, running);
    }
    @Override public Op unwrapped() { return op.unwrapped(); }
    @Override public boolean silent() { return op.silent(); }
    @Override public boolean bookkeeping() { return op.bookkeeping(); }
    @Override public boolean invalidates() { return op.invalidates(); }
    @Override public boolean resolvesFault() { return op.resolvesFault(); }
    @Override public Option<String> misplaced(Procedure procedure, int index) { return op.misplaced(procedure, index); }
    @Override public String skipReason(Model model, State state, int cpu, Running running) {
        return op.skipReason(model, state, cpu, running);
    }
    @Override public boolean skipped(Model model, State state, State after, int cpu, Running running) {
        return op.skipped(model, state, after, cpu, running);
    }
    @Override public String describe(Model model, State state, int cpu, Running running) {
        String inner = op.describe(model, state, cpu, running);
        return inner.startsWith(op.name()) ? name + inner.substring(op.name().length()) : name;
    }
    @Override public State apply(Model model, State state, int cpu, Running running) {
        return op.apply(model, state, cpu, running);
    }
}
