package tlbcheck.model;

/**
 * A translation: a page-table entry, or a TLB entry that caches one. A TLB never caches an invalid
 * PTE, so a TLB slot holding {@link #INVALID} simply has no entry.
 */
public sealed interface Pte permits Pte.Invalid, Pte.Valid, Pte.Migration, Pte.Locked, Pte.Both {

    Pte INVALID = new Invalid();

    /** A stage-2 entry a walker has broken and owns until it makes the new one (KVM_INVALID_PTE_LOCKED). */
    Pte LOCKED = new Locked();

    static Pte valid(int frame, Perm perm) {
        return Valid.of(frame, perm);
    }

    boolean present();

    /** A small code for the value (0 for pte_none), for snapshots and state encodings. */
    default int code() {
        if (this instanceof Valid v) return 1 + v.frame() * 2 + v.perm().ordinal();
        if (this instanceof Migration m) return 17 + m.frame();
        if (this instanceof Locked) return 25;
        if (this instanceof Both b) return 26 + (b.older().code() - 1) * 16 + b.newer().code() - 1;
        return 0;
    }

    static Pte fromCode(int code) {
        if (code == 0) return INVALID;
        if (code <= 16) return valid((code - 1) / 2, code % 2 == 1 ? Perm.RO : Perm.RW);
        if (code == 25) return LOCKED;
        if (code >= 26) return Both.of((Valid) fromCode(1 + (code - 26) / 16), (Valid) fromCode(1 + (code - 26) % 16));
        return Migration.of(code - 17);
    }

    /** Whether one of its entries translates to the frame. */
    default boolean reaches(int frame) {
        if (this instanceof Both b) return b.older().frame() == frame || b.newer().frame() == frame;
        return present() && frame() == frame;
    }

    /** pte_none: nothing at all, neither a mapping nor a migration entry. */
    default boolean none() {
        return this instanceof Invalid;
    }

    /**
     * What this cached translation grants beyond {@code pte}, the entry it is compared with: access to
     * an unmapped page, to another frame, or write where {@code pte} allows only reads; none when it
     * grants nothing more.
     */
    default io.vavr.control.Option<String> beyond(Pte pte) {
        if (!present()) return io.vavr.control.Option.none();
        if (this instanceof Both b) return b.older().beyond(pte).orElse(() -> b.newer().beyond(pte));
        if (!pte.present()) return io.vavr.control.Option.some("access to unmapped page");
        if (frame() != pte.frame()) return io.vavr.control.Option.some("access to the old frame f" + frame());
        if (((Valid) this).perm() == Perm.RW && ((Valid) pte).perm() == Perm.RO) {
            return io.vavr.control.Option.some("write to a write-protected page");
        }
        return io.vavr.control.Option.none();
    }

    /**
     * Whether this cached translation grants anything beyond {@code pte}: {@link #beyond} is defined. Without the
     * words, so that the checks every explored transition makes allocate nothing.
     */
    default boolean exceeds(Pte pte) {
        // Type tests rather than present() and frame(): calls on five kinds of entry are megamorphic.
        if (this instanceof Valid v) {
            return !(pte instanceof Valid p) || v.frame() != p.frame() || v.perm() == Perm.RW && p.perm() == Perm.RO;
        }
        return this instanceof Both b && (b.older().exceeds(pte) || b.newer().exceeds(pte));
    }

    /** True when this translation lets an access of the given kind through. */
    boolean permits(boolean write);

    /** The frame of a valid PTE or a migration entry; -1 for pte_none. */
    int frame();

    record Invalid() implements Pte {
        @Override public boolean present() { return false; }
        @Override public boolean permits(boolean write) { return false; }
        @Override public int frame() { return -1; }
        @Override public String toString() { return "-"; }
    }

    /**
     * A migration entry: not present, so no TLB caches it and every access faults, but not pte_none
     * either: a fault on it waits for the migration instead of mapping a new page. It names the
     * frame being migrated away from.
     */
    record Migration(int frame) implements Pte {
        private static final Migration[] CACHE = new Migration[Scope.MAX_FRAMES];
        static {
            for (int f = 0; f < Scope.MAX_FRAMES; f++) CACHE[f] = new Migration(f);
        }

        public static Migration of(int frame) {
            return CACHE[frame];
        }

        @Override public boolean present() { return false; }
        @Override public boolean permits(boolean write) { return false; }
        @Override public String toString() { return "mig(f" + frame + ")"; }
    }

    /** Not present and not none: other walkers back off (-EAGAIN) until its owner writes it. */
    record Locked() implements Pte {
        @Override public boolean present() { return false; }
        @Override public boolean permits(boolean write) { return false; }
        @Override public int frame() { return -1; }
        @Override public String toString() { return "locked"; }
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

    /**
     * A TLB slot holding two entries for one address: the one it cached, and the one its PTE was changed to, another
     * frame, without a break (valid to valid). The walker may fetch the new entry at any moment after the write, and
     * the architecture keeps both live until the address is invalidated, with no guarantee which one a load uses (or
     * a TLB conflict abort): invariant 5 reports the pair. An access goes through the older entry, the one the CPU
     * kept using, so every stale access the single entry allowed is still there. Only ever in a TLB, never a PTE.
     */
    record Both(Valid older, Valid newer) implements Pte {
        public static Both of(Valid older, Valid newer) {
            if (older.frame() == newer.frame()) {
                throw new IllegalArgumentException("two entries of one frame are one entry: " + older + ", " + newer);
            }
            return new Both(older, newer);
        }

        @Override public boolean present() { return true; }
        @Override public boolean permits(boolean write) { return older.permits(write); }
        @Override public int frame() { return older.frame(); }
        @Override public String toString() { return older + "+" + newer; }
    }
}
