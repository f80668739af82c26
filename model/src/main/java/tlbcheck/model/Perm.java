package tlbcheck.model;

/** Permission of a translation. The model has one process address space and every VMA writable. */
public enum Perm {
    RO, RW;

    public boolean permits(boolean write) {
        return this == RW || !write;
    }
}
