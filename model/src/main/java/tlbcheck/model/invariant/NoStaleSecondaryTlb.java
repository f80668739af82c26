package tlbcheck.model.invariant;

import io.vavr.control.Option;
import tlbcheck.model.Model;
import tlbcheck.model.Pte;
import tlbcheck.model.Running;
import tlbcheck.model.State;
import tlbcheck.model.Transition;

/**
 * Invariant 1: once the procedure that changed a PTE has finished its TLB maintenance and notifier
 * calls, no secondary TLB holds an entry for that page whose frame or permission differs from the
 * PTE. A stale read-only entry after an upgrade breaks it as much as a stale writable one.
 *
 * <p>Judged per procedure as well: when a procedure completes, every SMMU entry its own PTE write left
 * differing from the PTE must have been invalidated (or replaced), even while another procedure still
 * owes maintenance for the same page; between procedures, no SMMU entry may differ from a PTE that no
 * procedure in flight owes maintenance for. With ATS a device's ATC is a secondary TLB too, judged by the second rule:
 * no ATC entry may differ from a PTE that no procedure in flight owes maintenance for.
 */
public final class NoStaleSecondaryTlb implements Invariant {

    public static final NoStaleSecondaryTlb INSTANCE = new NoStaleSecondaryTlb();

    @Override public String name() { return "no-stale-secondary-tlb"; }
    @Override public int number() { return 1; }
    @Override public String meaning() {
        return "no SMMU TLB (or, with ATS, device ATC) entry differs from its PTE once the procedure that changed it has"
                + " completed";
    }

    @Override
    public boolean appliesTo(Model model) {
        return model.scope().smmus() > 0;
    }

    @Override
    public boolean racy(Model model, Transition t) {
        return Races.staleWhilePending(t.after(), false);
    }

    @Override
    public String racyState() {
        return "an SMMU entry differs from its PTE while the procedure that wrote it is in flight";
    }

    @Override
    public Option<Violation> check(Model model, Transition t) {
        State s = t.after();
        // Per procedure: the one that just completed must have reached every SMMU entry its own write left
        // stale, whatever other procedure still owes maintenance for the page.
        for (Running done : t.completed()) {
            for (int page = done.page(); page <= done.lastPage(); page++) {
                for (int m = 0; m < s.smmus(); m++) {
                    Pte cached = s.smmuTlb(m, page);
                    Pte pte = s.pte(page);
                    if ((done.owedOn(page) & Running.smmuDiffersBit(m)) != 0 && cached.present() && !cached.equals(pte)) {
                        return Option.some(violation(
                                "SMMU" + m + " still maps page " + page + " " + cached + " after "
                                        + Blame.finished(model, t) + "; PTE is " + pte,
                                "page " + page + ": PTE " + pte + ", SMMU" + m + " TLB " + cached));
                    }
                }
            }
        }
        for (int page = 0; page < s.pages(); page++) {
            if (s.maintenancePending(page)) continue;
            for (int m = 0; m < s.smmus(); m++) {
                Option<Violation> v = stale(model, t, page, s.smmuTlb(m, page), "SMMU" + m, "SMMU" + m + " TLB");
                if (v.isEmpty()) v = stale(model, t, page, s.atc(m, page), "DEV" + m + "'s ATC", "DEV" + m + " ATC");
                if (v.isDefined()) return v;
            }
        }
        return Option.none();
    }

    /** A secondary cache's entry for a page no procedure owes maintenance for, when it differs from the PTE. */
    private Option<Violation> stale(Model model, Transition t, int page, Pte cached, String who, String what) {
        Pte pte = t.after().pte(page);
        if (!cached.present() || cached.equals(pte)) return Option.none();
        return Option.some(violation(who + " still maps page " + page + " " + cached + " after " + Blame.finished(model, t)
                + "; PTE is " + pte, "page " + page + ": PTE " + pte + ", " + what + " " + cached));
    }
}
