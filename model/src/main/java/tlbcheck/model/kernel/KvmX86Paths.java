package tlbcheck.model.kernel;

/**
 * x86 KVM as an mmu notifier subscriber (seed 002; virt/kvm/kvm_main.c, arch/x86/kvm/mmu/mmu.c, arch/x86/kvm/x86.c):
 * its callbacks spliced into the mm paths (Linux 6.4 for V7 and V8, 6.6 for V9), its stage-2 fault-in under the
 * sequence-count retry protocol, and the APIC-access page reload, whose placement and protocol are what V7, V8 and V9
 * differ in.
 */
public final class KvmX86Paths {

    private KvmX86Paths() {}

    /**
     * {@code kvm_mmu_page_fault} -> {@code kvm_tdp_page_fault} -> {@code kvm_faultin_pfn} (Linux 6.4, 6.6: the sequence
     * count read before {@code __gfn_to_pfn_memslot}), then under {@code mmu_lock} {@code is_page_fault_stale}
     * ({@code mmu_invalidate_retry_hva}) and the install.
     */
    public static final Procedure FAULT_IN = Procedure.of("kvm_fault_in", Trigger.KVM_S2_MISSING,
            KvmTranslate.INSTANCE, KvmLock.LOCK, new KvmRetryCheck(1, false), KvmInstallS2.INSTANCE, KvmLock.UNLOCK);

    /**
     * {@code kvm_vcpu_reload_apic_access_page} -> {@code vmx_set_apic_access_page_addr} as it was before the 2023
     * rework (V7, V8): translate ({@code gfn_to_page}) and write the VMCS, no retry check.
     */
    public static final Procedure APIC_RELOAD_UNCHECKED = Procedure.of("apic_reload", Trigger.APIC_RELOAD,
            KvmCheckRequest.INSTANCE, KvmTranslate.INSTANCE, KvmInstallApic.INSTANCE);

    /**
     * {@code vmx_set_apic_access_page_addr} after the 2023 rework (V9, which pairs it with the 6.6 mm paths): the reload under the same retry
     * protocol as every other fault-in ({@code mmu_invalidate_retry_gfn}): spin until no invalidation is in flight.
     */
    public static final Procedure APIC_RELOAD_RETRY = Procedure.of("apic_reload", Trigger.APIC_RELOAD,
            KvmCheckRequest.INSTANCE, KvmTranslate.INSTANCE, KvmLock.LOCK, new KvmRetryCheck(1, true),
            KvmInstallApic.INSTANCE, KvmLock.UNLOCK);

    /**
     * The mm paths with KVM's range callbacks, {@code kvm_mmu_notifier_invalidate_range_start} (zap stage 2 under
     * {@code mmu_lock}, {@code mmu_invalidate_in_progress}) and {@code kvm_mmu_notifier_invalidate_range_end} (bump
     * {@code mmu_invalidate_seq}); {@code reloadOnRangeStart} puts the APIC reload request in the first, as
     * {@code kvm_arch_mmu_notifier_invalidate_range_start} did before e649b3f0188f (V7).
     */
    public static MmPaths withKvm(MmPaths base, boolean reloadOnRangeStart) {
        // KVM's callbacks bracket the range marker, so "in progress" for the invariant lies inside KVM's own window.
        Seq start = base.rangeStart().before(reloadOnRangeStart
                ? new Op[] {KvmInvalidateRangeStart.INSTANCE, new KvmRequestApicReload("kvm invalidate_range_start")}
                : new Op[] {KvmInvalidateRangeStart.INSTANCE});
        Seq end = base.rangeEnd().then(KvmInvalidateRangeEnd.INSTANCE);
        return base.named(base.name() + "+kvm").withRangeStart(start).withRangeEnd(end);
    }

    /**
     * V8: the reload requested from KVM's {@code invalidate_range} callback ({@code kvm_mmu_notifier_invalidate_range}
     * -> {@code kvm_arch_mmu_notifier_invalidate_range}, e649b3f0188f, 2020), wherever the mm calls it: the gather's
     * flush, the clear-and-flush helpers and {@code invalidate_range_end} in Linux 6.4.
     */
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

    /**
     * The process side a guest's memory sees (unmap, migration, refault) plus KVM's own paths. The unmap is x86's:
     * its mmu_gather flushes at {@code tlb_finish_mmu}, after the notifier range has closed
     * ({@link MmPaths#unmapMergingVmas}).
     */
    public static Kernel kernel(MmPaths paths, Procedure apicReload) {
        return Kernel.of(paths.name(), paths.unmapMergingVmas(), paths.procedure("migrate"), paths.procedure("map"),
                FAULT_IN, apicReload);
    }
}
