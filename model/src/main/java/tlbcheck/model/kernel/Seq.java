package tlbcheck.model.kernel;

import io.vavr.collection.Array;
import tlbcheck.model.Model;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/** A named run of ops spliced into a procedure where it is used, e.g. {@code ptep_set_access_flags}. */
public record Seq(String name, Array<Op> ops) implements Op {

    public static Seq of(String name, Op... ops) {
        return new Seq(name, Array.of(ops));
    }

    public Seq then(Op... more) {
        return new Seq(name, ops.appendAll(Array.of(more)));
    }

    public Seq before(Op... first) {
        return new Seq(name, Array.of(first).appendAll(ops));
    }

    @Override
    public State apply(Model model, State state, int cpu, Running running) {
        throw new IllegalStateException("Seq " + name + " is flattened into its procedure and never runs itself");
    }
}
