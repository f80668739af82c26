package tlbcheck.model.kernel;

import io.vavr.control.Option;
import tlbcheck.model.Model;
import tlbcheck.model.Pte;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/**
 * {@code move_ptes}, mremap's loop over the PTEs of a range that is not moved a page table at a time: under the old
 * and the new page-table locks, {@code pte = ptep_get_and_clear(old); set_pte_at(new, pte)}, from the range's first
 * page (the old address) to its last (the new one). It flushes nothing itself: the old address's TLB entries are left
 * to the flush the procedure puts after it (under the locks since eb66ae030829, after them before), and are this
 * procedure's debt until then. First written by a user for CVE-2018-18281 ({@code MremapMovePtesFlush}).
 */
public record MovePtes() implements Op {

    public static final MovePtes INSTANCE = new MovePtes();

    @Override
    public String name() {
        return "move_ptes: ptep_get_and_clear(old), set_pte_at(new)";
    }

    /** Moves the range's first page to its last, as {@link MovePageTable} does: the same places, the same no-ops. */
    @Override
    public Option<String> misplaced(Procedure procedure, int index) {
        return MovePageTable.INSTANCE.misplaced(procedure, index);
    }

    @Override
    public String skipReason(Model model, State state, int cpu, Running running) {
        return MovePageTable.INSTANCE.skipReason(model, state, cpu, running);
    }

    @Override
    public State apply(Model model, State state, int cpu, Running running) {
        int from = running.page();
        int to = running.lastPage();
        Pte moved = state.pte(from);
        if (running.pages() < 2 || !moved.present() || !state.pte(to).none()) {
            return state.withRunning(cpu, running.next());
        }
        Running r = running.wrote().owes(from, state.tlbsMadeStale(from, moved, Pte.INVALID));
        return state.withPte(from, Pte.INVALID).withPte(to, moved).withRunning(cpu, r.next());
    }
}
