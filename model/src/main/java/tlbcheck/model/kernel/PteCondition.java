package tlbcheck.model.kernel;

import tlbcheck.model.Perm;
import tlbcheck.model.Pte;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/** What a kernel path checks of the PTE under the page-table lock before it acts: the built-in {@link Condition}s. */
public enum PteCondition implements Condition {
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
    },
    /**
     * {@code pte_same(ptep_get(vmf->pte), vmf->orig_pte)} of a fault that found its PTE read-only: the PTE is still
     * the very one the fault read ({@link OrigPte}), not only read-only again (a read-only PTE of another frame).
     */
    SAME_AS_FAULTED("pte_same(orig_pte)") {
        @Override public boolean test(Pte pte, boolean write) {
            throw new IllegalStateException("pte_same needs the PTE the fault read: test(pte, running)");
        }

        @Override public boolean test(Pte pte, Running running) {
            return READ_ONLY.test(pte, running.write()) && pte.code() == running.snapshot();
        }

        @Override public boolean readsOrigPte() {
            return true;
        }
    };

    private final String text;

    PteCondition(String text) {
        this.text = text;
    }

    @Override
    public String text() {
        return text;
    }

    public abstract boolean test(Pte pte, boolean write);

    /** The condition, for a procedure in flight: what it read earlier is in its {@link Running}. */
    public boolean test(Pte pte, Running running) {
        return test(pte, running.write());
    }

    /** The condition on the PTE of the procedure's page. */
    @Override
    public boolean test(State state, Running running) {
        return test(state.pte(running.page()), running);
    }

    /** The PTE it found, and the check it failed. */
    @Override
    public String whyNot(State state, Running running) {
        return "PTE is " + state.pte(running.page()) + ": not " + text;
    }
}
