package tlbcheck.model.kernel;

import tlbcheck.model.Kvm;
import tlbcheck.model.Perm;
import tlbcheck.model.Pte;

/**
 * What an arm64 stage-2 update does to the table: the entry it reads and CASes, what break leaves
 * and what make writes. Block changes act on the whole guest range; page changes on one page.
 */
public enum S2Change {
    SPLIT, COLLAPSE, WRPROTECT, RELAX, UNMAP, MAP;

    public boolean wholeRange() {
        return this == SPLIT || this == COLLAPSE;
    }

    /** The entry (or, for COLLAPSE, the entries) as one code, for the CAS. */
    public int read(Kvm k, int page) {
        switch (this) {
            case SPLIT: return k.s2Block().code();
            case COLLAPSE: {
                int code = 0;
                for (int g = k.s2().size() - 1; g >= 0; g--) code = code << 5 | k.s2().get(g).code();
                return code;
            }
            default:
                // Once a block replaced the table, a walker's page entry lives in a detached table: its CAS fails.
                return k.s2Block().none() ? k.s2().get(page).code() : DETACHED;
        }
    }

    /** The read of a page entry whose table a block has replaced. */
    static final int DETACHED = 31;

    /** The table with the entry broken: invalid to the hardware, locked to other walkers. */
    public Kvm broken(Kvm k, int page) {
        switch (this) {
            case SPLIT: return k.withS2Block(Pte.LOCKED);
            case COLLAPSE: {
                Kvm out = k;
                for (int g = 0; g < k.s2().size(); g++) out = out.withS2(g, Pte.LOCKED);
                return out;
            }
            default: return k.withS2(page, Pte.LOCKED);
        }
    }

    /** The table with the new entry made, from the snapshot of the old one; {@code frame} for MAP. */
    public Kvm made(Kvm k, int page, int snapshot, int frame) {
        Pte old = Pte.fromCode(snapshot & 31);
        switch (this) {
            case SPLIT: {
                Kvm out = k.withS2Block(Pte.INVALID);
                Pte.Valid b = (Pte.Valid) old;
                for (int g = 0; g < k.s2().size(); g++) out = out.withS2(g, Pte.valid(b.frame() + g, b.perm()));
                return out;
            }
            case COLLAPSE: {
                Kvm out = k;
                for (int g = 0; g < k.s2().size(); g++) out = out.withS2(g, Pte.INVALID);
                Pte.Valid first = (Pte.Valid) old;
                return out.withS2Block(Pte.valid(first.frame(), first.perm()));
            }
            case WRPROTECT: return k.withS2(page, Pte.valid(old.frame(), Perm.RO));
            case RELAX: return k.withS2(page, Pte.valid(old.frame(), Perm.RW));
            case MAP: return k.withS2(page, Pte.valid(frame, Perm.RW));
            default: return k.withS2(page, Pte.INVALID);
        }
    }

    public String text() {
        return name().toLowerCase();
    }
}
