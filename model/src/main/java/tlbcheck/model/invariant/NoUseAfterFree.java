package tlbcheck.model.invariant;

import io.vavr.control.Option;
import tlbcheck.model.Model;
import tlbcheck.model.Pte;
import tlbcheck.model.State;
import tlbcheck.model.Transition;

/**
 * Invariant 3: no access reaches a freed frame, and no translation to a frame survives its freeing
 * (a surviving one is an access waiting to happen).
 */
public final class NoUseAfterFree implements Invariant {

    public static final NoUseAfterFree INSTANCE = new NoUseAfterFree();

    @Override public String name() { return "no-use-after-free"; }
    @Override public int number() { return 3; }
    @Override public String meaning() { return "no access or surviving translation reaches a freed frame"; }

    @Override
    public boolean racy(Model model, Transition t) {
        return Races.translationToFrameBeingFreed(t.after());
    }

    @Override
    public String racyState() {
        return "a TLB entry (or stage 2, a vCPU TLB, the APIC page) points at a frame a procedure in flight will free";
    }

    @Override
    public Option<Violation> check(Model model, Transition t) {
        State s = t.after();
        if (t.accessedFrame() >= 0 && s.frameFree(t.accessedFrame())) {
            return Option.some(violation(t.step().actor() + " accessed frame " + t.accessedFrame() + " after it was freed",
                    "frame " + t.accessedFrame() + " is free"));
        }
        int free = s.freeFrames();
        for (int page = 0; page < s.pages(); page++) {
            int mapped = freed(free, s.pte(page));
            if (mapped >= 0) return Option.some(survivor(s, "the PTE of page " + page, mapped));
            for (int c = 0; c < s.cpus(); c++) {
                int f = freed(free, s.cpuTlb(c, page));
                if (f >= 0) return Option.some(survivor(s, "CPU" + c + "'s TLB entry for page " + page, f));
            }
            for (int m = 0; m < s.smmus(); m++) {
                int f = freed(free, s.smmuTlb(m, page));
                if (f >= 0) return Option.some(survivor(s, "SMMU" + m + "'s TLB entry for page " + page, f));
                f = freed(free, s.atc(m, page));
                if (f >= 0) return Option.some(survivor(s, "DEV" + m + "'s ATC entry for page " + page, f));
            }
        }
        var k = s.kvm();
        if (k.present()) {
            for (int g = 0; g < s.pages(); g++) {
                int mapped = freed(free, k.mapping(g));
                if (mapped >= 0) return Option.some(survivor(s, "stage 2's entry for guest page " + g, mapped));
                for (int c = 0; c < s.cpus(); c++) {
                    // Its page entry, then its block entry (vcpuTranslations, without the array).
                    int f = freed(free, k.vcpuTlb(c, g));
                    if (f < 0) f = freed(free, k.blockMapping(c, g));
                    if (f >= 0) return Option.some(survivor(s, "vCPU" + c + "'s TLB entry for guest page " + g, f));
                }
            }
            // A pending reload has kicked the vCPU out of guest mode; it reloads before it uses the page again.
            if (ApicPage.live(s) && s.frameFree(k.apicFrame())) {
                return Option.some(survivor(s, "the VMCS APIC-access address", k.apicFrame()));
            }
        }
        return Option.none();
    }

    private Violation survivor(State s, String what, int frame) {
        return violation("frame " + frame + " was freed while " + what + " still points at it",
                what + " -> f" + frame + ", frame " + frame + " free");
    }

    /**
     * A freed frame (of the {@link State#freeFrames} given) the entry still translates to, or -1: a PTE's or stage 2's
     * valid entry, or either entry of a TLB's pair. A migration entry or a locked one translates to nothing.
     */
    private static int freed(int free, Pte cached) {
        if (free == 0) return -1;
        if (cached instanceof Pte.Valid v) return (free >>> v.frame() & 1) != 0 ? v.frame() : -1;
        if (cached instanceof Pte.Both b) {
            int older = b.older().frame();
            int newer = b.newer().frame();
            return (free >>> older & 1) != 0 ? older : (free >>> newer & 1) != 0 ? newer : -1;
        }
        return -1;
    }
}
