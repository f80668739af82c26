package tlbcheck.model.kernel;

import io.vavr.collection.Array;
import tlbcheck.model.Model;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/**
 * A kernel procedure: a list of atomic ops run by one CPU, entered when its trigger allows.
 * {@link Seq} and {@link When} are flattened at construction, so the ops are what the CPU steps
 * through one at a time.
 */
public record Procedure(String name, Trigger trigger, Array<Op> ops) {

    public static Procedure of(String name, Trigger trigger, Op... ops) {
        return new Procedure(name, trigger, flatten(Array.of(ops)));
    }

    public int length() {
        return ops.size();
    }

    public Op op(int pc) {
        return ops.get(pc);
    }

    /** Runs the silent ops the CPU's procedure stands at, as part of the step that brought it there. */
    public State settle(Model model, State state, int cpu) {
        State s = state;
        Running r = s.running(cpu).get();
        while (r.pc() < ops.size() && ops.get(r.pc()).silent()) {
            s = ops.get(r.pc()).apply(model, s, cpu, r);
            r = s.running(cpu).get();
        }
        return s;
    }

    private static Array<Op> flatten(Array<Op> ops) {
        Array<Op> out = Array.empty();
        for (Op op : ops) {
            if (op instanceof Seq seq) {
                out = out.appendAll(flatten(seq.ops()));
            } else if (op instanceof When when) {
                Array<Op> body = flatten(when.body());
                out = out.append(new SkipUnless(when.condition(), body.size())).appendAll(body);
            } else if (op instanceof IfBbm2 branch) {
                Array<Op> yes = flatten(branch.bbm2());
                Array<Op> no = flatten(branch.otherwise());
                out = out.append(new SkipUnlessBbm2(yes.size() + 1)).appendAll(yes).append(new Goto(no.size())).appendAll(no);
            } else {
                out = out.append(op);
            }
        }
        return out;
    }
}
