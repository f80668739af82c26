package tlbcheck.model.kernel;

import tlbcheck.model.Model;
import tlbcheck.model.Pte;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/**
 * {@code ptep_get_and_clear}: unmap the page, remembering the frame to free; or, for migration
 * ({@code try_to_migrate_one}), replace it by a migration entry that keeps faults waiting. Zapping a
 * migration entry leaves its frame to the migration that owns it.
 *
 * <p>A zap ({@link #UNMAP}: {@code zap_pte_range}) promises its caller the range is unmapped when it returns, so one
 * that finds a PTE already cleared by a zap that has not flushed yet takes on that flush. An rmap walker
 * ({@link #RMAP_UNMAP}: {@code try_to_unmap_one}) acts only on a mapping {@code page_vma_mapped_walk} found, and
 * promises nothing about one it did not.
 */
public record ClearPte(boolean migrationEntry, boolean zap) implements Op {

    public static final ClearPte UNMAP = new ClearPte(false, true);
    public static final ClearPte MIGRATION = new ClearPte(true, false);
    public static final ClearPte RMAP_UNMAP = new ClearPte(false, false);

    @Override
    public String name() {
        return migrationEntry ? "set migration entry" : "clear PTE";
    }

    @Override
    public String describe(Model model, State state, int cpu, Running running) {
        if (running.ptep() != running.page()) {
            return name() + " of p" + running.ptep() + ", not p" + running.page() + ": its page table moved there";
        }
        if (!zap) return name();
        boolean inherits = false;
        for (int p = running.page(); p <= running.lastPage(); p++) {
            if (state.pte(p).none() && state.debtsOn(p, cpu) != 0) inherits = true;
        }
        return inherits ? name() + ": " + (running.pages() == 1 ? "already clear" : "a PTE already clear")
                + ", takes on the flush another zap still owes" : name();
    }

    @Override
    public String skipReason(Model model, State state, int cpu, Running running) {
        return running.pages() == 1 ? "PTE already clear (" + state.pte(running.page()) + ")" : "every PTE of the range already clear";
    }

    @Override
    public State apply(Model model, State state, int cpu, Running running) {
        State s = state;
        Running r = running;
        // zap_pte_range's loop under the page-table lock, as one step (migration entries are set one page at a time).
        for (int p = running.page(); p <= (migrationEntry ? running.page() : running.lastPage()); p++) {
            // The slot its page-table pointer reaches: the page itself, unless the page table was moved under it
            // (then the write lands on the new address, and only the new address's TLB entries go stale).
            int q = running.slot(p);
            Pte pte = s.pte(q);
            if (pte.present()) {
                Pte next = migrationEntry ? Pte.Migration.of(pte.frame()) : Pte.INVALID;
                r = r.wrote().plusOldFrame(pte.frame());
                if (q == p) r = r.owes(p, s.tlbsMadeStale(p, pte, next));
                s = s.withPte(q, next);
            } else if (zap && pte instanceof Pte.Migration) {
                s = s.withPte(q, Pte.INVALID);
            } else if (zap && pte.none() && q == p) {
                // A zap that finds the PTE already cleared by a concurrent zap that has not flushed yet takes on
                // that flush: its caller is promised the range is unmapped when it returns (99baac21e458).
                r = r.owes(p, s.debtsOn(p, cpu));
            }
        }
        return s.withRunning(cpu, r.next());
    }
}
