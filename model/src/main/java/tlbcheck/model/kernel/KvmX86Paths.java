package tlbcheck.model.kernel;

/**
 * x86 KVM as an mmu notifier subscriber (seed 002): its callbacks spliced into the Linux 6.4 mm
 * paths, its stage-2 fault-in under the sequence-count retry protocol, and the APIC-access page
 * reload, whose placement and protocol are what V7, V8 and V9 differ in.
 */
public final class KvmX86Paths {

    private KvmX86Paths() {}

    /** kvm_mmu_page_fault -> kvm_faultin_pfn, then under mmu_lock the retry check and the install. */
    public static final Procedure FAULT_IN = Procedure.of("kvm_fault_in", Trigger.KVM_S2_MISSING,
            KvmTranslate.INSTANCE, KvmLock.LOCK, new KvmRetryCheck(1, false), KvmInstallS2.INSTANCE, KvmLock.UNLOCK);

    /** kvm_vcpu_reload_apic_access_page as it was: translate and write the VMCS, no retry check. */
    public static final Procedure APIC_RELOAD_UNCHECKED = Procedure.of("apic_reload", Trigger.APIC_RELOAD,
            KvmCheckRequest.INSTANCE, KvmTranslate.INSTANCE, KvmInstallApic.INSTANCE);

    /** The reload under the same retry protocol as every other fault-in: spin until no invalidation is in flight. */
    public static final Procedure APIC_RELOAD_RETRY = Procedure.of("apic_reload", Trigger.APIC_RELOAD,
            KvmCheckRequest.INSTANCE, KvmTranslate.INSTANCE, KvmLock.LOCK, new KvmRetryCheck(1, true),
            KvmInstallApic.INSTANCE, KvmLock.UNLOCK);

    /** The mm paths with KVM's range callbacks; {@code reloadOnRangeStart} puts the APIC reload request there. */
    public static MmPaths withKvm(MmPaths base, boolean reloadOnRangeStart) {
        // KVM's callbacks bracket the range marker, so "in progress" for the invariant lies inside KVM's own window.
        Seq start = base.rangeStart().before(reloadOnRangeStart
                ? new Op[] {KvmInvalidateRangeStart.INSTANCE, new KvmRequestApicReload("kvm invalidate_range_start")}
                : new Op[] {KvmInvalidateRangeStart.INSTANCE});
        Seq end = base.rangeEnd().then(KvmInvalidateRangeEnd.INSTANCE);
        return base.named(base.name() + "+kvm").withRangeStart(start).withRangeEnd(end);
    }

    /** V8: the reload requested from KVM's invalidate_range callback, wherever the mm calls it. */
    public static MmPaths reloadFromInvalidateRange(MmPaths withKvm) {
        return withKvm.named(withKvm.name() + "+apic-invalidate_range")
                .withTlbFlushMmu(afterNotify(withKvm.tlbFlushMmu()))
                .withPtepClearFlush(afterNotify(withKvm.ptepClearFlush()))
                .withRangeEnd(afterNotify(withKvm.rangeEnd()));
    }

    private static Seq afterNotify(Seq seq) {
        io.vavr.collection.Array<Op> out = io.vavr.collection.Array.empty();
        for (Op op : seq.ops()) {
            out = out.append(op);
            if (op.unwrapped() instanceof NotifySecondary) out = out.append(new KvmRequestApicReload("kvm invalidate_range"));
        }
        return new Seq(seq.name(), out);
    }

    /** The process side a guest's memory sees (unmap, migration, refault) plus KVM's own paths. */
    public static Kernel kernel(MmPaths paths, Procedure apicReload) {
        return Kernel.of(paths.name(), paths.procedure("unmap"), paths.procedure("migrate"), paths.procedure("map"),
                FAULT_IN, apicReload);
    }
}
