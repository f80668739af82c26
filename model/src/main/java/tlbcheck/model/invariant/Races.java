package tlbcheck.model.invariant;

import tlbcheck.model.Pte;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/** State predicates for the race windows the invariants are about. */
public final class Races {

    private Races() {}

    /** Some SMMU (and, with {@code cpus}, CPU) TLB entry differs from a PTE whose maintenance is pending. */
    public static boolean staleWhilePending(State s, boolean cpus) {
        for (int page = 0; page < s.pages(); page++) {
            if (!s.maintenancePending(page)) continue;
            Pte pte = s.pte(page);
            for (int m = 0; m < s.smmus(); m++) {
                if (s.smmuTlb(m, page).present() && !s.smmuTlb(m, page).equals(pte)) return true;
                if (s.atc(m, page).present() && !s.atc(m, page).equals(pte)) return true;
            }
            for (int c = 0; cpus && c < s.cpus(); c++) {
                if (s.cpuTlb(c, page).present() && !s.cpuTlb(c, page).equals(pte)) return true;
            }
        }
        return false;
    }

    /** Some CPU or SMMU TLB entry still translates to this frame. */
    public static boolean cpuOrSmmuTranslates(State s, int frame) {
        return cpuOrSmmuTranslates(s, frame, false);
    }

    /** Some CPU or SMMU TLB entry still translates to this frame, and (with {@code write}) lets a write through. */
    public static boolean cpuOrSmmuTranslates(State s, int frame, boolean write) {
        for (int page = 0; page < s.pages(); page++) {
            for (int k = 0; k < s.cpus(); k++) {
                if (s.cpuTlb(k, page).reaches(frame) && (!write || s.cpuTlb(k, page).permits(true))) return true;
            }
            for (int m = 0; m < s.smmus(); m++) {
                if (s.smmuTlb(m, page).reaches(frame) && (!write || s.smmuTlb(m, page).permits(true))) return true;
                if (s.atc(m, page).reaches(frame) && (!write || s.atc(m, page).permits(true))) return true;
            }
        }
        return false;
    }

    private static boolean translates(State s, int frame) {
        if (cpuOrSmmuTranslates(s, frame)) return true;
        var k = s.kvm();
        if (!k.present()) return false;
        for (int page = 0; page < s.pages(); page++) {
            if (k.mapping(page).frame() == frame) return true;
            for (int v = 0; v < s.cpus(); v++) {
                for (Pte e : k.vcpuTranslations(v, page)) {
                    if (e.frame() == frame) return true;
                }
            }
        }
        return k.apicFrame() == frame;
    }

    /** Some translation still points at a frame a procedure in flight has unmapped and will free. */
    public static boolean translationToFrameBeingFreed(State s) {
        for (int c = 0; c < s.cpus(); c++) {
            if (s.running(c).isEmpty()) continue;
            Running r = s.running(c).get();
            for (int frame = 0; frame < s.frames(); frame++) {
                if (r.unmapped(frame) && translates(s, frame)) return true;
            }
        }
        return false;
    }
}
