package tlbcheck.model.kernel;

import io.vavr.collection.Array;
import io.vavr.control.Option;

/** The procedures a kernel variant has, by name. */
public record Kernel(String name, Array<Procedure> procedures) {

    public static Kernel of(String name, Procedure... procedures) {
        return new Kernel(name, Array.of(procedures));
    }

    public int indexOf(String procedure) {
        for (int i = 0; i < procedures.size(); i++) {
            if (procedures.get(i).name().equals(procedure)) {
                return i;
            }
        }
        return -1;
    }

    /** The first procedure entered on this trigger, or -1. */
    public int indexOf(Trigger trigger) {
        for (int i = 0; i < procedures.size(); i++) {
            if (procedures.get(i).trigger() == trigger) {
                return i;
            }
        }
        return -1;
    }

    public Option<Procedure> find(String procedure) {
        int i = indexOf(procedure);
        return i < 0 ? Option.none() : Option.some(procedures.get(i));
    }

    public Procedure procedure(int index) {
        return procedures.get(index);
    }

    /** The same kernel with one procedure replaced (or added), as a patch to one path would do. */
    public Kernel with(Procedure procedure) {
        int i = indexOf(procedure.name());
        return new Kernel(name, i < 0 ? procedures.append(procedure) : procedures.update(i, procedure));
    }

    public Kernel named(String newName) {
        return new Kernel(newName, procedures);
    }
}
