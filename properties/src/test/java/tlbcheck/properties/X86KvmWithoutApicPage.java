package tlbcheck.properties;

import io.vavr.collection.Array;
import io.vavr.control.Option;
import java.util.List;
import tlbcheck.model.Catalogue;
import tlbcheck.model.Platform;
import tlbcheck.model.Scope;
import tlbcheck.model.Variant;
import tlbcheck.model.Variants;
import tlbcheck.model.invariant.Invariant;
import tlbcheck.model.kernel.KvmInstallS2;
import tlbcheck.model.kernel.KvmLock;
import tlbcheck.model.kernel.KvmTranslate;
import tlbcheck.model.kernel.KvmX86Paths;
import tlbcheck.model.kernel.Procedure;
import tlbcheck.model.kernel.Trigger;

/**
 * x86 KVM without the APIC-access page (a VM whose local APIC KVM does not virtualise with one): stage 2 is then
 * the guest's only cache of the process's translations. V7's kernel, whose bug lives in the APIC reload, holds
 * there; a stage-2 fault-in that drops the {@code mmu_invalidate_retry} check (the protocol e930bffe95e1 added in
 * 2008) installs a frame that an munmap or a migration is taking away, and with the APIC page out of the way the
 * hunt reports that, not the reload.
 */
public final class X86KvmWithoutApicPage implements Catalogue {

    private static final Scope SCOPE = Scope.of(2, 0, 2, 3);
    private static final Scope SMALL_SCOPE = Scope.of(2, 0, 1, 2);

    private static final Platform NO_APIC = Platform.x86Kvm(false);

    /** {@code kvm_faultin_pfn} then the install under {@code mmu_lock}, with no look at the sequence count. */
    static final Procedure FAULT_IN_UNCHECKED = Procedure.of("kvm_fault_in", Trigger.KVM_S2_MISSING,
            KvmTranslate.INSTANCE, KvmLock.LOCK, KvmInstallS2.INSTANCE, KvmLock.UNLOCK);

    static final Variant V7_KERNEL = new Variant("x86-kvm-no-apic-v7-kernel", "",
            "V7's kernel on an x86 VM without the APIC-access page", NO_APIC, Variants.V7.kernel(), SCOPE, SMALL_SCOPE);

    static final Variant FAULT_IN_WITHOUT_RETRY = new Variant("x86-kvm-fault-in-without-retry", "",
            "x86 KVM (no APIC-access page) whose stage-2 fault-in skips mmu_invalidate_retry", NO_APIC,
            Variants.V9.kernel().with(FAULT_IN_UNCHECKED).named("kvm-x86-fault-in-unchecked"), SCOPE, SMALL_SCOPE);

    static final Variant FAULT_IN_WITH_RETRY = new Variant("x86-kvm-fault-in-with-retry", "",
            "x86 KVM (no APIC-access page) with the stage-2 fault-in under the retry protocol", NO_APIC,
            Variants.V9.kernel().with(KvmX86Paths.FAULT_IN), SCOPE, SMALL_SCOPE);

    @Override public String name() { return "x86-kvm-without-apic-page"; }

    @Override public Array<Variant> variants() { return Array.of(V7_KERNEL, FAULT_IN_WITHOUT_RETRY, FAULT_IN_WITH_RETRY); }

    @Override public Option<String> expected(Variant variant, Invariant invariant) {
        if (invariant.number() != 6) return Option.none();
        return Option.some(variant == FAULT_IN_WITHOUT_RETRY ? Expected.VIOLATES : Expected.HOLDS);
    }

    @Override public List<String> fixedBy(Variant variant, Invariant invariant) {
        return List.of(FAULT_IN_WITH_RETRY.name());
    }
}
