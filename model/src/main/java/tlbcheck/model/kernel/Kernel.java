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

    /**
     * The same kernel with one procedure replaced, as a patch to one path would do. A name that matches
     * no procedure is refused: a typo would otherwise add a second path beside the one meant.
     */
    public Kernel with(Procedure procedure) {
        int i = indexOf(procedure.name());
        if (i < 0) {
            throw new IllegalArgumentException("kernel " + name + " has no procedure '" + procedure.name()
                    + "' to replace; it has " + procedures.map(Procedure::name).mkString(", ")
                    + ". To add a new path, use plus(procedure)");
        }
        return new Kernel(name, procedures.update(i, procedure));
    }

    /** The same kernel with one more procedure. A name the kernel already has is refused: use with(...) to replace. */
    public Kernel plus(Procedure procedure) {
        if (indexOf(procedure.name()) >= 0) {
            throw new IllegalArgumentException("kernel " + name + " already has a procedure '" + procedure.name()
                    + "'; to replace it, use with(procedure)");
        }
        return new Kernel(name, procedures.append(procedure));
    }

    public Kernel named(String newName) {
        return new Kernel(newName, procedures);
    }
}
