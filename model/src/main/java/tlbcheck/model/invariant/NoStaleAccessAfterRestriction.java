package tlbcheck.model.invariant;

import io.vavr.control.Option;
import tlbcheck.model.Model;
import tlbcheck.model.Perm;
import tlbcheck.model.Pte;
import tlbcheck.model.Running;
import tlbcheck.model.State;
import tlbcheck.model.Transition;

/**
 * Invariant 2: once a write-protect, unmap or migrate has finished its maintenance, no CPU, SMMU or
 * vCPU TLB grants write (after a write-protect) or any access (after an unmap or a migration) through
 * the old translation.
 *
 * <p>Judged per procedure. A procedure's PTE (or stage-2) write that leaves a TLB entry granting more
 * than the new entry puts that TLB in the procedure's debt ({@link Running#owed}); the debt is paid
 * when that entry changes (invalidated, evicted, refilled). When the procedure completes, every debt
 * must be paid, whatever else is in flight: the caller of {@code mprotect} was promised that no write
 * goes through once it returns, and another path's pending flush of the same page does not keep that
 * promise. The exemption is only the window inside the procedure, between its write and its own
 * maintenance. Afterwards nothing new can exceed the PTE while it is unchanged (TLBs fill only from it),
 * so judging at completion covers "at every later point". Besides, at any step, no TLB may grant more
 * than its PTE while no procedure in flight owes maintenance for that page: that catches staleness no
 * procedure answers for.
 */
public final class NoStaleAccessAfterRestriction implements Invariant {

    public static final NoStaleAccessAfterRestriction INSTANCE = new NoStaleAccessAfterRestriction();

    @Override public String name() { return "no-stale-access-after-restriction"; }
    @Override public int number() { return 2; }
    @Override public String meaning() {
        return "no TLB grants more than its PTE (write after write-protect, any access after unmap or migrate)";
    }

    /** What a cached entry grants beyond its PTE, or none. */
    static Option<String> excess(Pte cached, Pte pte) {
        return cached.beyond(pte);
    }

    /** Some procedure in flight has written and not finished its maintenance (the blanket window). */
    private static boolean anyWriterInFlight(State s) {
        for (int c = 0; c < s.cpus(); c++) {
            if (s.running(c).isDefined() && s.running(c).get().wrotePte()) return true;
        }
        return false;
    }

    @Override
    public boolean racy(Model model, Transition t) {
        State s = t.after();
        var k = s.kvm();
        if (k.present() && anyWriterInFlight(s)) {
            for (int g = 0; g < s.pages(); g++) {
                for (int c = 0; c < s.cpus(); c++) {
                    for (Pte e : k.vcpuTranslations(c, g)) {
                        if (excess(e, k.mapping(g)).isDefined()) return true;
                    }
                }
            }
        }
        for (int page = 0; page < s.pages(); page++) {
            if (!s.maintenancePending(page)) continue;
            for (int c = 0; c < s.cpus(); c++) {
                if (excess(s.cpuTlb(c, page), s.pte(page)).isDefined()) return true;
            }
            for (int m = 0; m < s.smmus(); m++) {
                if (excess(s.smmuTlb(m, page), s.pte(page)).isDefined()) return true;
                if (excess(s.atc(m, page), s.pte(page)).isDefined()) return true;
            }
        }
        return false;
    }

    @Override
    public String racyState() {
        return "a TLB (or vCPU TLB) grants more than its PTE (stage-2 entry) while the restricting procedure is in flight";
    }

    @Override
    public Option<Violation> check(Model model, Transition t) {
        Option<Violation> unpaid = t.completed().flatMap(done -> unpaid(model, t, done));
        if (unpaid.isDefined()) return unpaid;
        State s = t.after();
        for (int page = 0; page < s.pages(); page++) {
            if (s.maintenancePending(page)) continue;
            Pte pte = s.pte(page);
            for (int c = 0; c < s.cpus(); c++) {
                Option<Violation> v = judge(model, t, "CPU", c, page, s.cpuTlb(c, page), pte);
                if (v.isDefined()) return v;
            }
            for (int m = 0; m < s.smmus(); m++) {
                Option<Violation> v = judge(model, t, "SMMU", m, page, s.smmuTlb(m, page), pte);
                if (v.isEmpty()) v = judge(model, t, ATC, m, page, s.atc(m, page), pte);
                if (v.isDefined()) return v;
            }
        }
        var k = s.kvm();
        if (k.present() && !anyWriterInFlight(s)) {
            for (int g = 0; g < s.pages(); g++) {
                Pte mapping = k.mapping(g);
                for (int c = 0; c < s.cpus(); c++) {
                    // Its page entry, then its block entry (vcpuTranslations, without the array).
                    Option<Violation> v = judgeVcpu(model, t, c, g, k.vcpuTlb(c, g), mapping);
                    if (v.isEmpty()) v = judgeVcpu(model, t, c, g, k.blockMapping(c, g), mapping);
                    if (v.isDefined()) return v;
                }
            }
        }
        return Option.none();
    }

    /** The procedure that just completed left a TLB it made stale still granting more than the page does now. */
    private Option<Violation> unpaid(Model model, Transition t, Running done) {
        for (int page = done.page(); page <= done.lastPage(); page++) {
            Option<Violation> v = unpaid(model, t, done.owedOn(page), page);
            if (v.isDefined()) return v;
        }
        return Option.none();
    }

    private Option<Violation> unpaid(Model model, Transition t, int owed, int page) {
        if (owed == 0) return Option.none();
        State s = t.after();
        for (int c = 0; c < s.cpus(); c++) {
            if ((owed & Running.cpuBit(c)) == 0) continue;
            Option<Violation> v = judge(model, t, "CPU", c, page, s.cpuTlb(c, page), s.pte(page));
            if (v.isDefined()) return v;
        }
        for (int m = 0; m < s.smmus(); m++) {
            if ((owed & Running.smmuBit(m)) == 0) continue;
            Option<Violation> v = judge(model, t, "SMMU", m, page, s.smmuTlb(m, page), s.pte(page));
            if (v.isDefined()) return v;
        }
        var k = s.kvm();
        for (int c = 0; k.present() && c < s.cpus(); c++) {
            Pte[] cached = k.vcpuTranslations(c, page);
            int[] bits = {Running.vcpuBit(c), Running.vcpuBlockBit(c)};
            for (int i = 0; i < cached.length; i++) {
                if ((owed & bits[i]) == 0) continue;
                Option<Violation> v = judgeVcpu(model, t, c, page, cached[i], k.mapping(page));
                if (v.isDefined()) return v;
            }
        }
        return Option.none();
    }

    /** The TLB is named by kind and number, joined only for a violation: this runs on every transition explored. */
    /** The kind {@link #judge} names a device's ATC by (ATS): an ATC has no debts of its own, only the global rule. */
    private static final String ATC = "ATC";

    private Option<Violation> judge(Model model, Transition t, String kind, int number, int page, Pte cached, Pte pte) {
        if (!cached.exceeds(pte)) return Option.none();
        Option<String> grant = excess(cached, pte);
        boolean atc = kind.equals(ATC);
        String tlb = atc ? "DEV" + number + "'s ATC" : kind + number;
        // "access to unmapped page 0", "write to a write-protected page 0", "access to the old frame f0 of page 0".
        String what = grant.get() + (grant.get().endsWith("page") ? " " : " of page ") + page;
        return Option.some(violation(
                tlb + " still grants " + what + " (" + cached + ") after "
                        + Blame.finished(model, t) + "; PTE is " + pte,
                "page " + page + ": PTE " + pte + ", " + (atc ? "DEV" + number + " ATC " : tlb + " TLB ") + cached));
    }

    private Option<Violation> judgeVcpu(Model model, Transition t, int cpu, int page, Pte cached, Pte mapping) {
        if (!cached.exceeds(mapping)) return Option.none();
        Option<String> grant = excess(cached, mapping);
        return Option.some(violation("vCPU" + cpu + " still grants " + grant.get() + " (guest page " + page + ", "
                        + cached + ") after " + Blame.finished(model, t) + "; stage 2 maps " + mapping,
                "guest page " + page + ": stage 2 " + mapping + ", vCPU" + cpu + " TLB " + cached));
    }
}
