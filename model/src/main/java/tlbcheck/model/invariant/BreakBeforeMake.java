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
 * or size (a TLB conflict), unless the platform has FEAT_BBM level 2 and only the size differs. In
 * the model that is a vCPU holding a stale block entry beside a page entry for one guest page.
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
        return model.platform().guest() == Platform.Guest.ARM64_STAGE2;
    }

    @Override
    public boolean racy(Model model, Transition t) {
        State s = t.after();
        return s.kvm().present() && s.kvm().vcpuBlocks().exists(Pte::present) && !s.kvm().s2Block().present();
    }

    @Override
    public String racyState() {
        return "a vCPU caches a block entry that stage 2 no longer has";
    }

    @Override
    public Option<Violation> check(Model model, Transition t) {
        State s = t.after();
        Kvm k = s.kvm();
        if (!k.present()) return Option.none();
        for (int c = 0; c < s.cpus(); c++) {
            for (int g = 0; g < s.pages(); g++) {
                Pte block = k.blockMapping(c, g);
                Pte page = k.vcpuTlb(c, g);
                if (!block.present() || !page.present()) continue;
                boolean sameFrame = block.frame() == page.frame();
                if (model.platform().bbm2() && sameFrame) continue;
                return Option.some(violation("TLB conflict on vCPU" + c + ": guest page " + g + " is cached both by the"
                                + " block entry (" + block + ") and a page entry (" + page + ")"
                                + (sameFrame ? "; only the size differs, which needs FEAT_BBM level 2 (this platform has level "
                                + model.platform().bbmLevel() + ")" : "; the frames differ") + " - valid to valid without a break",
                        "vCPU" + c + ": block " + k.vcpuBlocks().get(c) + ", page g" + g + " " + page + "; stage 2 g" + g
                                + " " + k.mapping(g)));
            }
        }
        return Option.none();
    }
}
