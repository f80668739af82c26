package tlbcheck.model.kernel;

import tlbcheck.model.Model;
import tlbcheck.model.Pte;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/**
 * {@code ptep_get_and_clear}: unmap the page, remembering the frame to free; or, for migration
 * ({@code try_to_migrate_one}), replace it by a migration entry that keeps faults waiting. Zapping a
 * migration entry leaves its frame to the migration that owns it.
 */
public record ClearPte(boolean migrationEntry) implements Op {

    public static final ClearPte UNMAP = new ClearPte(false);
    public static final ClearPte MIGRATION = new ClearPte(true);

    @Override
    public String name() {
        return migrationEntry ? "set migration entry" : "clear PTE";
    }

    @Override
    public String describe(Model model, State state, int cpu, Running running) {
        if (migrationEntry) return name();
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
            Pte pte = s.pte(p);
            if (pte.present()) {
                Pte next = migrationEntry ? Pte.Migration.of(pte.frame()) : Pte.INVALID;
                r = r.wrote().owes(p, s.tlbsMadeStale(p, pte, next)).plusOldFrame(pte.frame());
                s = s.withPte(p, next);
            } else if (!migrationEntry && pte instanceof Pte.Migration) {
                s = s.withPte(p, Pte.INVALID);
            } else if (!migrationEntry && pte.none()) {
                // A zap that finds the PTE already cleared by a concurrent zap that has not flushed yet takes on
                // that flush: its caller is promised the range is unmapped when it returns (99baac21e458).
                r = r.owes(p, s.debtsOn(p, cpu));
            }
        }
        return s.withRunning(cpu, r.next());
    }
}
