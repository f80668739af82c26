package tlbcheck.properties;

import io.vavr.collection.Array;
import io.vavr.control.Option;
import java.util.List;
import tlbcheck.model.Catalogue;
import tlbcheck.model.Platform;
import tlbcheck.model.Scope;
import tlbcheck.model.Variant;
import tlbcheck.model.invariant.Invariant;
import tlbcheck.model.kernel.KvmX86Paths;
import tlbcheck.model.kernel.MmPaths;
import tlbcheck.model.kernel.Stage2Paths;

/**
 * arm64 KVM under the host's mmu notifier: a VM whose memory is the VMM process's. With KVM subscribed (as
 * {@code kvm_init_mmu_notifier} does), an munmap or a migration on the host zaps stage 2 and the vCPU TLBs before
 * the frame is freed; a VMM whose KVM is not subscribed leaves the guest mapping a frame the host freed.
 */
public final class Arm64KvmOnHostMm implements Catalogue {

    private static final Scope SCOPE = Scope.of(2, 0, 2, 3);

    /** What every build explores completely: one CPU keeps it to seconds (two CPUs reach tens of millions of states). */
    private static final Scope SMALL_SCOPE = Scope.of(1, 0, 2, 3);

    static final Variant SUBSCRIBED = new Variant("arm64-kvm-host-mm", "",
            "arm64 KVM on the VMM's memory: stage 2 faulted in from the PTEs, zapped by KVM's notifier callbacks",
            Platform.arm64KvmOnHostMm(0),
            Stage2Paths.onHostMm("kvm-arm64-host-mm", KvmX86Paths.withKvm(MmPaths.LINUX_6_6, false), Stage2Paths::classic),
            SCOPE, SMALL_SCOPE);

    static final Variant NOT_SUBSCRIBED = new Variant("arm64-kvm-host-mm-no-notifier", "",
            "as arm64-kvm-host-mm, but KVM never registered its mmu notifier",
            Platform.arm64KvmOnHostMm(0),
            Stage2Paths.onHostMm("kvm-arm64-host-mm-unsubscribed", MmPaths.LINUX_6_6, Stage2Paths::classic),
            SCOPE, SMALL_SCOPE);

    @Override public String name() { return "arm64-kvm-on-host-mm"; }

    @Override public Array<Variant> variants() { return Array.of(SUBSCRIBED, NOT_SUBSCRIBED); }

    @Override public Option<String> expected(Variant variant, Invariant invariant) {
        switch (invariant.number()) {
            case 3: case 6: return Option.some(variant == SUBSCRIBED ? Expected.HOLDS : Expected.VIOLATES);
            case 2: case 5: return variant == SUBSCRIBED ? Option.some(Expected.HOLDS) : Option.none();
            default: return Option.none();
        }
    }

    @Override public List<String> fixedBy(Variant variant, Invariant invariant) {
        return List.of(SUBSCRIBED.name());
    }
}
