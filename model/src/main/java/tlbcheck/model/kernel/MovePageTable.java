package tlbcheck.model.kernel;

import io.vavr.control.Option;
import tlbcheck.model.Model;
import tlbcheck.model.Pte;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/**
 * {@code move_normal_pmd}, mremap's fast path for an aligned range: the page-table page itself moves from the old
 * address (the range's first page) to the new one (its last page), under the PMD locks only: {@code pmd_clear} of
 * the old entry, {@code flush_tlb_range} of the old address, then {@code set_pmd_at} of the new one. The PTE
 * table's own lock and any pointer into it ({@code pvmw.pte} of an rmap walker that holds that lock) move with it:
 * such a walker now reaches the new address's PTE while it still flushes the old address.
 */
public record MovePageTable() implements Op {

    public static final MovePageTable INSTANCE = new MovePageTable();

    @Override
    public String name() {
        return "move_normal_pmd (pmd_clear, flush_tlb_range old, set_pmd_at new)";
    }

    @Override
    public boolean invalidates() {
        return true;
    }

    @Override
    public Option<String> misplaced(Procedure procedure, int index) {
        return procedure.ranged() ? Option.none() : Option.some("it moves the range's first page to its last, so its"
                + " procedure must be entered on a range (Procedure.ranged)");
    }

    @Override
    public String skipReason(Model model, State state, int cpu, Running running) {
        return running.pages() < 2 ? "a one-page range has no other address to move to"
                : "the old address maps nothing, or the new one is mapped";
    }

    @Override
    public State apply(Model model, State state, int cpu, Running running) {
        int from = running.page();
        int to = running.lastPage();
        Pte moved = state.pte(from);
        if (running.pages() < 2 || moved.none() || !state.pte(to).none()) return state.withRunning(cpu, running.next());
        State s = state.withPte(from, Pte.INVALID).broadcastTlbi(from, model.platform().btm()).withPte(to, moved);
        if (state.locks().ptlHeld(from)) s = s.withLocks(s.locks().withPtl(from, false).withPtl(to, true));
        for (int c = 0; c < s.cpus(); c++) {
            Option<Running> other = s.running(c);
            // Only a walker inside its page-table lock holds a pointer into the table; others walk again from
            // their address when they take the lock.
            if (c != cpu && other.isDefined() && other.get().ptep() == from && other.get().pages() == 1
                    && model.kernel().procedure(other.get().procedure()).holdsPtlAt(other.get().pc())) {
                s = s.withRunning(c, other.get().withPtep(to));
            }
        }
        return s.withRunning(cpu, s.running(cpu).get().wrote().flushed().next());
    }
}
