package tlbcheck.model.kernel;

import tlbcheck.model.Perm;
import tlbcheck.model.Pte;

/** What a kernel path checks of the PTE under the page-table lock before it acts. */
public enum PteCondition {
    INVALID("pte_none") {
        @Override public boolean test(Pte pte, boolean write) { return pte.none(); }
    },
    VALID("pte_present") {
        @Override public boolean test(Pte pte, boolean write) { return pte.present(); }
    },
    READ_ONLY("pte is read-only") {
        @Override public boolean test(Pte pte, boolean write) { return pte instanceof Pte.Valid v && v.perm() == Perm.RO; }
    },
    WRITE_FAULT_ON_READ_ONLY("write fault on a read-only pte") {
        @Override public boolean test(Pte pte, boolean write) { return write && READ_ONLY.test(pte, true); }
    };

    private final String text;

    PteCondition(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }

    public abstract boolean test(Pte pte, boolean write);
}
