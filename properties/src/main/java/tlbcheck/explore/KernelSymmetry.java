package tlbcheck.explore;

import io.vavr.collection.Array;
import io.vavr.control.Option;
import tlbcheck.model.kernel.Condition;
import tlbcheck.model.kernel.Kernel;
import tlbcheck.model.kernel.Named;
import tlbcheck.model.kernel.Op;
import tlbcheck.model.kernel.Procedure;
import tlbcheck.model.kernel.PteCondition;
import tlbcheck.model.kernel.Seq;
import tlbcheck.model.kernel.SkipUnless;
import tlbcheck.model.kernel.Trigger;
import tlbcheck.model.kernel.When;

/**
 * Whether a kernel treats pages and frames alike, as renaming them assumes: the model's own triggers, conditions and
 * ops do (the symmetry agreement tests compare every catalogued row with and without renaming). A trigger or a
 * condition of one's own is a lambda, and an op of one's own a class, that the explorer cannot look into: it may enter
 * on page 0 only, or compare a frame's number. Such a kernel keeps its page and frame numbers; CPUs are still renamed,
 * since an op is told its CPU only to act on that CPU.
 */
final class KernelSymmetry {

    private KernelSymmetry() {}

    /** What in the kernel the explorer cannot look into, if anything: the first trigger, condition or op of one's own. */
    static Option<String> opaque(Kernel kernel) {
        for (Procedure p : kernel.procedures()) {
            if (!Trigger.BUILT_IN.contains(p.trigger())) {
                return Option.some("the trigger " + p.trigger() + " of " + p.name());
            }
            Option<String> op = opaque(p.ops(), p);
            if (op.isDefined()) return op;
        }
        return Option.none();
    }

    private static Option<String> opaque(Array<Op> ops, Procedure p) {
        for (Op op : ops) {
            Option<String> found = opaque(op, p);
            if (found.isDefined()) return found;
        }
        return Option.none();
    }

    private static Option<String> opaque(Op op, Procedure p) {
        if (op instanceof Named n) return opaque(n.op(), p);
        if (op instanceof Seq s) return opaque(s.ops(), p);
        if (op instanceof When w) return opaque(w.condition(), p).orElse(() -> opaque(w.body(), p));
        if (op instanceof SkipUnless s) return opaque(s.condition(), p);
        return op.getClass().getPackage() == Op.class.getPackage() ? Option.none()
                : Option.some("the op " + op.getClass().getSimpleName() + " in " + p.name());
    }

    private static Option<String> opaque(Condition c, Procedure p) {
        return c instanceof PteCondition ? Option.none() : Option.some("the condition " + c.text() + " in " + p.name());
    }
}
