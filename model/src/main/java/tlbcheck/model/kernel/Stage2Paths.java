package tlbcheck.model.kernel;

import java.util.function.Function;

/**
 * arm64 KVM stage-2 updates (seed 004), each a vCPU fault handler's walk over one entry: classic
 * break-before-make, or the FEAT_BBM level 2 path that skips the break and invalidates after the
 * make. A variant is a choice of how each change is made.
 */
public final class Stage2Paths {

    private Stage2Paths() {}

    /** Break (CAS to invalid), broadcast TLBI by IPA, make. */
    public static Op[] classic(S2Change c) {
        if (c == S2Change.MAP) return new Op[] {new S2Read(c), new S2Make(c, true)};
        if (c == S2Change.UNMAP) {
            return new Op[] {new S2Read(c), new S2Break(c), new S2Tlbi(true, c), new S2Make(c, false), FreeOldFrame.INSTANCE};
        }
        return new Op[] {new S2Read(c), new S2Break(c), new S2Tlbi(true, c), new S2Make(c, false)};
    }

    /**
     * The patch under review: CAS straight to the new entry, then invalidate as it does: the whole
     * VMID when a table was replaced (collapse), the IPA when a valid entry changed permission
     * (non-shareable or broadcast, as {@code broadcast} says), nothing for a split.
     */
    public static Function<S2Change, Op[]> skipBreak(boolean broadcast) {
        return c -> {
            if (c == S2Change.MAP || c == S2Change.UNMAP) return classic(c);
            switch (c) {
                case COLLAPSE: return new Op[] {new S2Read(c), new S2Make(c, true), new S2Tlbi(true, c)};
                case WRPROTECT: case RELAX: return new Op[] {new S2Read(c), new S2Make(c, true), new S2Tlbi(broadcast, c)};
                default: return new Op[] {new S2Read(c), new S2Make(c, true)};
            }
        };
    }

    /** The skip-break path where the hardware has FEAT_BBM level 2, classic elsewhere. */
    public static Function<S2Change, Op[]> guarded(Function<S2Change, Op[]> bbm2) {
        return c -> new Op[] {new IfBbm2(io.vavr.collection.Array.of(bbm2.apply(c)), io.vavr.collection.Array.of(classic(c)))};
    }

    /**
     * kvm_pgtable_stage2_relax_perms on the faulting vCPU: relax the entry if it is still read-only,
     * then invalidate this CPU's TLB for it whether or not it changed, so a stale read-only entry
     * cannot make the vCPU fault forever.
     */
    public static final Procedure RELAX_PERMS = Procedure.of("s2_fault", Trigger.VCPU_FAULT,
            S2RelaxPerms.INSTANCE, new S2Tlbi(false, S2Change.RELAX, true));

    public static Kernel kernel(String name, Function<S2Change, Op[]> update) {
        return kernel(name, update, RELAX_PERMS);
    }

    public static Kernel kernel(String name, Function<S2Change, Op[]> update, Procedure faultHandler) {
        return Kernel.of(name, faultHandler,
                Procedure.of("s2_split", Trigger.S2_BLOCK, update.apply(S2Change.SPLIT)),
                Procedure.of("s2_collapse", Trigger.S2_COLLAPSIBLE, update.apply(S2Change.COLLAPSE)),
                Procedure.of("s2_wrprotect", Trigger.S2_PAGE_WRITABLE, update.apply(S2Change.WRPROTECT)),
                Procedure.of("s2_relax", Trigger.S2_PAGE_READ_ONLY, update.apply(S2Change.RELAX)),
                Procedure.of("s2_unmap", Trigger.S2_PAGE_VALID, update.apply(S2Change.UNMAP)),
                Procedure.of("s2_map", Trigger.S2_PAGE_NONE, update.apply(S2Change.MAP)));
    }
}
