package tlbcheck.model.kernel;

import java.util.function.Function;

/**
 * arm64 KVM stage-2 updates (seed 004), each a vCPU fault handler's walk over one entry: classic
 * break-before-make, or the FEAT_BBM level 2 path that skips the break and invalidates after the
 * make. A variant is a choice of how each change is made.
 */
public final class Stage2Paths {

    private Stage2Paths() {}

    /**
     * Classic break-before-make where the architecture requires it, as Linux 6.4's {@code stage2_map_walker_try_leaf}
     * ({@code stage2_try_break_pte}: CAS to invalid, {@code kvm_tlb_flush_vmid_range} or by IPA, broadcast;
     * {@code stage2_make_pte}) does for a change of output address or size (split, collapse, unmap; a first map
     * needs no break). A change of permissions only is made in place, as the kernel makes it: one CAS by
     * {@code stage2_update_leaf_attrs}, then the broadcast invalidation its caller issues
     * ({@code kvm_pgtable_stage2_wrprotect} then {@code kvm_flush_remote_tlbs} for dirty logging; a relaxation
     * likewise by a walker other than the fault handler).
     */
    public static Op[] classic(S2Change c) {
        if (c == S2Change.MAP) return S2Read.then(c, new S2Make(c, true));
        if (c == S2Change.WRPROTECT || c == S2Change.RELAX) {
            return S2Read.then(c, new S2Make(c, true), new S2Tlbi(true, c));
        }
        if (c == S2Change.UNMAP) {
            return S2Read.then(c, new S2Break(c), new S2Tlbi(true, c), new S2Make(c, false), FreeOldFrame.INSTANCE);
        }
        return S2Read.then(c, new S2Break(c), new S2Tlbi(true, c), new S2Make(c, false));
    }

    /**
     * Break-before-make for every change, permissions included: the protocol V10 was first written with, stronger
     * than the kernel's. Kept so that a reviewer can check a patch against it.
     */
    public static Op[] breakAlways(S2Change c) {
        if (c == S2Change.MAP) return classic(c);
        if (c == S2Change.UNMAP) return classic(c);
        return S2Read.then(c, new S2Break(c), new S2Tlbi(true, c), new S2Make(c, false));
    }

    /**
     * The patch under review ("KVM: arm64: Skip break phase when we have FEAT_BBM level 2", June 2023, not merged in
     * that form): CAS straight to the new entry, then invalidate as it does: the whole
     * VMID when a table was replaced (collapse), the IPA when a valid entry changed permission
     * (non-shareable or broadcast, as {@code broadcast} says), nothing for a split.
     */
    public static Function<S2Change, Op[]> skipBreak(boolean broadcast) {
        return c -> {
            if (c == S2Change.MAP || c == S2Change.UNMAP) return classic(c);
            switch (c) {
                case COLLAPSE: return S2Read.then(c, new S2Make(c, true), new S2Tlbi(true, c));
                case WRPROTECT: case RELAX: return S2Read.then(c, new S2Make(c, true), new S2Tlbi(broadcast, c));
                default: return S2Read.then(c, new S2Make(c, true));
            }
        };
    }

    /** The skip-break path where the hardware has FEAT_BBM level 2, classic elsewhere. */
    public static Function<S2Change, Op[]> guarded(Function<S2Change, Op[]> bbm2) {
        return c -> new Op[] {new IfBbm2(io.vavr.collection.Array.of(bbm2.apply(c)), io.vavr.collection.Array.of(classic(c)))};
    }

    /**
     * {@code kvm_handle_guest_abort} -> {@code user_mem_abort} -> {@code kvm_pgtable_stage2_relax_perms} (Linux 6.4) on
     * the faulting vCPU, for a permission fault on memory KVM owns: relax the entry if it is still read-only,
     * then invalidate this CPU's TLB for it whether or not it changed, so a stale read-only entry
     * cannot make the vCPU fault forever.
     */
    public static final Procedure RELAX_PERMS = Procedure.of("s2_fault", Trigger.VCPU_FAULT,
            S2RelaxPerms.INSTANCE, new S2Tlbi(false, S2Change.RELAX, true));

    public static Kernel kernel(String name, Function<S2Change, Op[]> update) {
        return kernel(name, update, RELAX_PERMS);
    }

    /**
     * KVM-owned guest memory (V10-V13): the permission-fault handler and one walker per kind of change, each built by
     * {@code update}: {@code s2_split} and {@code s2_collapse} (eager splitting and block mapping,
     * {@code kvm_pgtable_stage2_split} / {@code stage2_map_walker_try_leaf}), {@code s2_wrprotect} (dirty logging,
     * {@code kvm_pgtable_stage2_wrprotect}), {@code s2_relax}, {@code s2_unmap} ({@code kvm_pgtable_stage2_unmap}) and
     * {@code s2_map}.
     */
    public static Kernel kernel(String name, Function<S2Change, Op[]> update, Procedure faultHandler) {
        return Kernel.of(name, faultHandler,
                Procedure.of("s2_split", Trigger.S2_BLOCK, update.apply(S2Change.SPLIT)),
                Procedure.of("s2_collapse", Trigger.S2_COLLAPSIBLE, update.apply(S2Change.COLLAPSE)),
                Procedure.of("s2_wrprotect", Trigger.S2_PAGE_WRITABLE, update.apply(S2Change.WRPROTECT)),
                Procedure.of("s2_relax", Trigger.S2_PAGE_READ_ONLY, update.apply(S2Change.RELAX)),
                Procedure.of("s2_unmap", Trigger.S2_PAGE_VALID, update.apply(S2Change.UNMAP)),
                Procedure.of("s2_map", Trigger.S2_PAGE_NONE, update.apply(S2Change.MAP)));
    }

    /**
     * {@code kvm_handle_guest_abort} -> {@code user_mem_abort} on a VM whose memory is the process's: translate the
     * guest page through the process PTE ({@code gfn_to_pfn_prot}), then under {@code mmu_lock} the
     * {@code mmu_invalidate_retry} check and the install, writable only where the PTE is.
     */
    public static final Procedure HOST_FAULT = Procedure.of("kvm_handle_guest_abort", Trigger.VCPU_FAULT,
            KvmTranslate.INSTANCE, KvmLock.LOCK, new KvmRetryCheck(1, false), KvmInstallS2.INSTANCE, KvmLock.UNLOCK);

    /**
     * arm64 KVM on the host mm: the process's mm paths with KVM subscribed to its notifier
     * ({@code kvm_mmu_notifier_invalidate_range_start/_end}, as on x86), guest faults served from the process PTEs
     * ({@link #HOST_FAULT} for a permission fault, {@code kvm_fault_in} for a missing page), and KVM's own stage-2
     * changes (split, collapse, write-protect for dirty logging) made by {@code update} under {@code mmu_lock}. The
     * kernel's walkers take {@code mmu_lock} for read and race one another; here they hold it alone, which keeps
     * them off the notifier's zap as the kernel does and leaves walker-against-walker races to V10-V13.
     *
     * @param host the process's mm paths, with or without KVM's callbacks (a VMM that KVM does not subscribe for)
     */
    public static Kernel onHostMm(String name, MmPaths host, Function<S2Change, Op[]> update) {
        return Kernel.of(name, HOST_FAULT, host.procedure("unmap"), host.procedure("migrate"), host.procedure("map"),
                KvmX86Paths.FAULT_IN,
                locked("s2_split", Trigger.S2_BLOCK, update.apply(S2Change.SPLIT)),
                locked("s2_collapse", Trigger.S2_COLLAPSIBLE, update.apply(S2Change.COLLAPSE)),
                locked("s2_wrprotect", Trigger.S2_PAGE_WRITABLE, update.apply(S2Change.WRPROTECT)));
    }

    private static Procedure locked(String name, Trigger trigger, Op[] ops) {
        Op[] all = new Op[ops.length + 2];
        all[0] = KvmLock.LOCK;
        System.arraycopy(ops, 0, all, 1, ops.length);
        all[all.length - 1] = KvmLock.UNLOCK;
        return Procedure.of(name, trigger, all);
    }
}
