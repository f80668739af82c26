package tlbcheck.model.kernel;

import io.vavr.collection.Array;
import tlbcheck.model.Model;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/** One path on FEAT_BBM level 2 hardware, another elsewhere; flattened into jumps. */
public record IfBbm2(Array<Op> bbm2, Array<Op> otherwise) implements Op {

    @Override
    public String name() {
        return "if FEAT_BBM level 2";
    }

    @Override
    public State apply(Model model, State state, int cpu, Running running) {
        throw new IllegalStateException("IfBbm2 is flattened into jumps and never runs itself");
    }
}
