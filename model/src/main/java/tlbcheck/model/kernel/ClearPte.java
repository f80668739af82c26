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
        return !migrationEntry && state.pte(running.page()).none()
                ? name() + ": already clear, takes on the flush another zap still owes" : name();
    }

    @Override
    public String skipReason(Model model, State state, int cpu, Running running) {
        return "PTE already clear (" + state.pte(running.page()) + ")";
    }

    @Override
    public State apply(Model model, State state, int cpu, Running running) {
        Pte pte = state.pte(running.page());
        if (pte.present()) {
            Pte next = migrationEntry ? Pte.Migration.of(pte.frame()) : Pte.INVALID;
            return state.withPte(running.page(), next).withRunning(cpu,
                    running.wrote().owes(state.tlbsMadeStale(running.page(), pte, next)).withOldFrame(pte.frame()).next());
        }
        if (!migrationEntry && pte instanceof Pte.Migration) {
            return state.withPte(running.page(), Pte.INVALID).withRunning(cpu, running.next());
        }
        if (!migrationEntry && pte.none()) {
            // A zap that finds the PTE already cleared by a concurrent zap that has not flushed yet takes on
            // that flush: its caller is promised the range is unmapped when it returns (99baac21e458).
            int inherited = state.debtsOn(running.page(), cpu);
            if (inherited != 0) return state.withRunning(cpu, running.owes(inherited).next());
        }
        return state.withRunning(cpu, running.next());
    }
}
