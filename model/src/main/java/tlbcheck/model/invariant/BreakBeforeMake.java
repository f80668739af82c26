package tlbcheck.model.invariant;

import io.vavr.control.Option;
import tlbcheck.model.Kvm;
import tlbcheck.model.Model;
import tlbcheck.model.Platform;
import tlbcheck.model.Pte;
import tlbcheck.model.State;
import tlbcheck.model.Transition;

/**
 * Invariant 5: no TLB holds two valid entries that overlap the same address with a different frame
 * or size (a TLB conflict), unless the platform has FEAT_BBM level 2 with the no-abort property and only the size
 * differs (without that property the hardware may raise a TLB conflict abort on such a pair). At
 * stage 2 that is a vCPU holding a stale block entry beside a page entry for one guest page; at both
 * stages it is a CPU, SMMU or vCPU TLB holding two entries of different frames for one address
 * ({@link Pte.Both}: the entry was changed valid to valid without a break), which no FEAT_BBM level allows.
 * It speaks about arm64, whose architecture requires break-before-make.
 */
public final class BreakBeforeMake implements Invariant {

    public static final BreakBeforeMake INSTANCE = new BreakBeforeMake();

    @Override public String name() { return "break-before-make"; }
    @Override public int number() { return 5; }
    @Override public String meaning() {
        return "no TLB holds overlapping entries of different frame or size (size alone is allowed with FEAT_BBM level 2)";
    }

    @Override
    public boolean appliesTo(Model model) {
        return !model.platform().guest().x86();
    }

    @Override
    public boolean racy(Model model, Transition t) {
        State s = t.after();
        if (s.kvm().present() && s.kvm().vcpuBlocks().exists(Pte::present) && !s.kvm().s2Block().present()) return true;
        for (int p = 0; p < s.pages(); p++) {
            Pte pte = s.pte(p);
            for (int c = 0; c < s.cpus(); c++) {
                Pte cached = s.cpuTlb(c, p);
                if (cached.present() && (pte.present() && cached.frame() != pte.frame() || s.maintenancePending(p))) return true;
            }
        }
        return false;
    }

    @Override
    public String racyState() {
        return "a vCPU caches a block entry that stage 2 no longer has, or a CPU an entry of a page whose PTE a procedure"
                + " in flight changed or that now maps another frame";
    }

    @Override
    public Option<Violation> check(Model model, Transition t) {
        State s = t.after();
        for (int p = 0; p < s.pages(); p++) {
            for (int c = 0; c < s.cpus(); c++) {
                if (s.cpuTlb(c, p) instanceof Pte.Both b) return Option.some(conflict("CPU" + c, "page " + p, b, s.pte(p)));
            }
            for (int m = 0; m < s.smmus(); m++) {
                if (s.smmuTlb(m, p) instanceof Pte.Both b) return Option.some(conflict("SMMU" + m, "page " + p, b, s.pte(p)));
                if (s.atc(m, p) instanceof Pte.Both b) return Option.some(conflict("DEV" + m + "'s ATC", "page " + p, b, s.pte(p)));
            }
        }
        Kvm k = s.kvm();
        if (!k.present()) return Option.none();
        for (int c = 0; c < s.cpus(); c++) {
            for (int g = 0; g < s.pages(); g++) {
                if (k.vcpuTlb(c, g) instanceof Pte.Both b) {
                    return Option.some(conflict("vCPU" + c, "guest page " + g, b, k.mapping(g)));
                }
            }
        }
        for (int c = 0; c < s.cpus(); c++) {
            for (int g = 0; g < s.pages(); g++) {
                Pte block = k.blockMapping(c, g);
                Pte page = k.vcpuTlb(c, g);
                if (!block.present() || !page.present()) continue;
                boolean sameFrame = block.frame() == page.frame();
                if (model.platform().sizeChangeWithoutBreak() && sameFrame) continue;
                return Option.some(violation("TLB conflict on vCPU" + c + ": guest page " + g + " is cached both by the"
                                + " block entry (" + block + ") and a page entry (" + page + ")"
                                + (sameFrame ? "; only the size differs, which needs FEAT_BBM level 2 with the no-abort property"
                                + " (this platform has level " + model.platform().bbmLevel()
                                + (model.platform().bbm2() ? ", without it: a TLB conflict abort is possible" : "") + ")"
                                : "; the frames differ") + " - valid to valid without a break",
                        "vCPU" + c + ": block " + k.vcpuBlocks().get(c) + ", page g" + g + " " + page + "; stage 2 g" + g
                                + " " + k.mapping(g)));
            }
        }
        return Option.none();
    }

    private Violation conflict(String owner, String address, Pte.Both both, Pte now) {
        return violation("TLB conflict on " + owner + ": " + address + " may be cached by two entries of different frames ("
                        + both.older() + ", cached, and " + both.newer() + ", written over it) - valid to valid without a break",
                owner + " TLB " + address + " " + both + "; the entry is now " + now);
    }
}
