package tlbcheck.model;

/**
 * A translation: a page-table entry, or a TLB entry that caches one. A TLB never caches an invalid
 * PTE, so a TLB slot holding {@link #INVALID} simply has no entry.
 */
public sealed interface Pte permits Pte.Invalid, Pte.Valid {

    Pte INVALID = new Invalid();

    static Pte valid(int frame, Perm perm) {
        return Valid.of(frame, perm);
    }

    boolean present();

    /** True when this translation lets an access of the given kind through. */
    boolean permits(boolean write);

    /** The frame; only meaningful when {@link #present()}. */
    int frame();

    record Invalid() implements Pte {
        @Override public boolean present() { return false; }
        @Override public boolean permits(boolean write) { return false; }
        @Override public int frame() { return -1; }
        @Override public String toString() { return "-"; }
    }

    record Valid(int frame, Perm perm) implements Pte {
        // Interned so that writing a PTE or filling a TLB allocates nothing on the hot path.
        private static final Valid[][] CACHE = new Valid[Scope.MAX_FRAMES][2];
        static {
            for (int f = 0; f < Scope.MAX_FRAMES; f++) {
                for (Perm p : Perm.values()) {
                    CACHE[f][p.ordinal()] = new Valid(f, p);
                }
            }
        }

        static Valid of(int frame, Perm perm) {
            return CACHE[frame][perm.ordinal()];
        }

        @Override public boolean present() { return true; }
        @Override public boolean permits(boolean write) { return perm.permits(write); }
        @Override public String toString() { return "f" + frame + "/" + perm; }
    }
}
