package tlbcheck.model.invariant;

import io.vavr.control.Option;
import tlbcheck.model.Model;
import tlbcheck.model.Perm;
import tlbcheck.model.Pte;
import tlbcheck.model.State;
import tlbcheck.model.Transition;

/**
 * Invariant 2: once a write-protect, unmap or migrate has finished its maintenance, no CPU or SMMU
 * TLB grants write (after a write-protect) or any access (after an unmap or a migration) through the
 * old translation.
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
        if (!cached.present()) return Option.none();
        if (!pte.present()) return Option.some("access to unmapped page");
        if (cached.frame() != pte.frame()) return Option.some("access to the old frame f" + cached.frame());
        if (((Pte.Valid) cached).perm() == Perm.RW && ((Pte.Valid) pte).perm() == Perm.RO) {
            return Option.some("write to a write-protected page");
        }
        return Option.none();
    }

    @Override
    public boolean racy(Model model, Transition t) {
        State s = t.after();
        var k = s.kvm();
        if (k.present() && s.running().exists(r -> r.isDefined() && r.get().wrotePte())) {
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
        State s = t.after();
        for (int page = 0; page < s.pages(); page++) {
            Pte pte = s.pte(page);
            for (int c = 0; c < s.cpus(); c++) {
                Option<Violation> v = judge(model, t, "CPU" + c, page, s.cpuTlb(c, page), pte);
                if (v.isDefined()) return v;
            }
            for (int m = 0; m < s.smmus(); m++) {
                Option<Violation> v = judge(model, t, "SMMU" + m, page, s.smmuTlb(m, page), pte);
                if (v.isDefined()) return v;
            }
        }
        var k = s.kvm();
        if (k.present() && !s.running().exists(r -> r.isDefined() && r.get().wrotePte())) {
            for (int g = 0; g < s.pages(); g++) {
                Pte mapping = k.mapping(g);
                for (int c = 0; c < s.cpus(); c++) {
                    for (Pte e : k.vcpuTranslations(c, g)) {
                        Option<String> grant = excess(e, mapping);
                        if (grant.isDefined()) {
                            return Option.some(violation("vCPU" + c + " still grants " + grant.get() + " (guest page "
                                    + g + ", " + e + ") after " + Blame.finished(model, t) + "; stage 2 maps " + mapping,
                                    "guest page " + g + ": stage 2 " + mapping + ", vCPU" + c + " TLB " + e));
                        }
                    }
                }
            }
        }
        return Option.none();
    }

    private Option<Violation> judge(Model model, Transition t, String tlb, int page, Pte cached, Pte pte) {
        Option<String> grant = excess(cached, pte);
        if (grant.isEmpty() || t.after().maintenancePending(page)) return Option.none();
        return Option.some(violation(
                tlb + " still grants " + grant.get() + " " + page + " (" + cached + ") after "
                        + Blame.finished(model, t) + "; PTE is " + pte,
                "page " + page + ": PTE " + pte + ", " + tlb + " TLB " + cached));
    }
}
