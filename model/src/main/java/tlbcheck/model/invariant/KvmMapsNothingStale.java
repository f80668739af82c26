package tlbcheck.model.invariant;

import io.vavr.control.Option;
import tlbcheck.model.Kvm;
import tlbcheck.model.Model;
import tlbcheck.model.Platform;
import tlbcheck.model.Pte;
import tlbcheck.model.Running;
import tlbcheck.model.State;
import tlbcheck.model.Transition;
import tlbcheck.model.kernel.KvmInstallApic;
import tlbcheck.model.kernel.KvmInstallS2;
import tlbcheck.model.kernel.Op;
import tlbcheck.model.step.Advance;

/**
 * Invariant 6: KVM installs no stage-2 (or APIC-access) mapping of a frame taken from a PTE whose
 * invalidation is in progress or has completed; at quiescence every stage-2 entry, and the
 * APIC-access page, agrees with the process PTE it was made from.
 */
public final class KvmMapsNothingStale implements Invariant {

    public static final KvmMapsNothingStale INSTANCE = new KvmMapsNothingStale();

    @Override public String name() { return "kvm-maps-nothing-stale"; }
    @Override public int number() { return 6; }
    @Override public String meaning() {
        return "KVM installs no mapping from a PTE being invalidated; at quiescence stage 2 and the APIC page match the PTEs";
    }

    @Override
    public boolean appliesTo(Model model) {
        return model.platform().guest().x86() || model.platform().hostMm();
    }

    /** A procedure on the page has opened its notifier range but not yet written the PTE: its value is doomed. */
    static boolean doomed(State s, int page) {
        for (int c = 0; c < s.cpus(); c++) {
            Option<Running> r = s.running(c);
            if (r.isDefined() && r.get().covers(page) && r.get().inRange() && !r.get().wrotePte()) return true;
        }
        return false;
    }

    @Override
    public boolean racy(Model model, Transition t) {
        State s = t.after();
        return s.kvm().present() && s.kvm().invalidating() > 0
                && s.running().exists(r -> r.isDefined() && r.get().newFrame() >= 0 && !r.get().inRange());
    }

    @Override
    public String racyState() {
        return "a KVM fault-in or APIC reload holds a translated frame while an invalidation is in progress";
    }

    @Override
    public Option<Violation> check(Model model, Transition t) {
        State before = t.before();
        State s = t.after();
        Kvm k = s.kvm();
        if (!k.present()) return Option.none();
        if (t.step() instanceof Advance a && before.running(a.cpu()).isDefined()) {
            Running r = before.running(a.cpu()).get();
            Op op = model.kernel().procedure(r.procedure()).op(r.pc()).unwrapped();
            boolean apic = op instanceof KvmInstallApic;
            if ((apic || op instanceof KvmInstallS2) && r.newFrame() >= 0 && (apic ? k.apicFrame() == r.newFrame()
                    : k.s2().get(r.page()).frame() == r.newFrame())) {
                String what = apic ? "the APIC-access page (VMCS)" : "stage 2 for guest page " + r.page();
                Pte pte = s.pte(r.page());
                // For the APIC page a change still being processed will request another reload: judge it once done.
                boolean stale = pte.frame() != r.newFrame() || !pte.present();
                if (stale && !(apic && (k.apicReload() || s.maintenancePending(r.page())))) {
                    return Option.some(violation("CPU" + a.cpu() + " installed f" + r.newFrame() + " into " + what
                            + " but the PTE of page " + r.page() + " is now " + pte + ": its invalidation has completed",
                            "page " + r.page() + ": PTE " + pte + ", installed f" + r.newFrame()));
                }
                // The APIC path is judged when its PTE change completes (above) and at quiescence: a reload
                // during an invalidation is what V8 relies on the co-opted callback to correct.
                if (!apic && doomed(s, r.page())) {
                    return Option.some(violation("CPU" + a.cpu() + " installed f" + r.newFrame() + " into " + what
                            + " while an invalidation of page " + r.page() + " is in progress (range started, PTE not yet"
                            + " changed)", "page " + r.page() + ": PTE " + pte + " about to change, KVM in-progress "
                            + k.invalidating()));
                }
            }
        }
        if (k.invalidating() > 0 || s.running().exists(Option::isDefined)) return Option.none();
        for (int g = 0; g < s.pages(); g++) {
            Pte entry = k.mapping(g);
            if (entry.present() && entry.frame() != s.pte(g).frame()) {
                return Option.some(violation("at quiescence stage 2 maps guest page " + g + " to f" + entry.frame()
                        + " but the PTE is " + s.pte(g), "guest page " + g + ": stage 2 " + entry + ", PTE " + s.pte(g)));
            }
        }
        Pte apicPte = s.pte(Kvm.APIC_PAGE);
        int expected = apicPte.present() ? apicPte.frame() : -1;
        if (!k.apicReload() && k.apicFrame() >= 0 && k.apicFrame() != expected) {
            return Option.some(violation("at quiescence the VMCS APIC-access address is f" + k.apicFrame()
                    + " but the PTE of page " + Kvm.APIC_PAGE + " is " + apicPte + " and no reload is pending",
                    "APIC-access f" + k.apicFrame() + ", PTE " + apicPte));
        }
        return Option.none();
    }
}
