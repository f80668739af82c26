package tlbcheck.explore;

import io.vavr.control.Option;
import tlbcheck.model.Model;
import tlbcheck.model.Platform;
import tlbcheck.model.Running;
import tlbcheck.model.State;
import tlbcheck.model.kernel.AllocFrame;
import tlbcheck.model.kernel.ClearPte;
import tlbcheck.model.kernel.CopyToNewFrame;
import tlbcheck.model.kernel.FlushTlbMmIfNested;
import tlbcheck.model.kernel.FlushTlbPage;
import tlbcheck.model.kernel.FreeOldFrame;
import tlbcheck.model.kernel.InvalidateAtc;
import tlbcheck.model.kernel.WriteOut;
import tlbcheck.model.kernel.Goto;
import tlbcheck.model.kernel.KvmCheckRequest;
import tlbcheck.model.kernel.KvmInstallApic;
import tlbcheck.model.kernel.KvmInstallS2;
import tlbcheck.model.kernel.KvmInvalidateRangeEnd;
import tlbcheck.model.kernel.KvmInvalidateRangeStart;
import tlbcheck.model.kernel.KvmLock;
import tlbcheck.model.kernel.KvmRequestApicReload;
import tlbcheck.model.kernel.KvmRetryCheck;
import tlbcheck.model.kernel.KvmTranslate;
import tlbcheck.model.kernel.MapNewFrame;
import tlbcheck.model.kernel.MmapLock;
import tlbcheck.model.kernel.MmapTryLock;
import tlbcheck.model.kernel.MmapUnlock;
import tlbcheck.model.kernel.MovePtes;
import tlbcheck.model.kernel.NotifySecondary;
import tlbcheck.model.kernel.Op;
import tlbcheck.model.kernel.OrigPte;
import tlbcheck.model.kernel.Procedure;
import tlbcheck.model.kernel.PtlLock;
import tlbcheck.model.kernel.PteCondition;
import tlbcheck.model.kernel.PtlUnlock;
import tlbcheck.model.kernel.RangeEnd;
import tlbcheck.model.kernel.RangeStart;
import tlbcheck.model.kernel.ReleaseUnusedFrame;
import tlbcheck.model.kernel.ResumeDevice;
import tlbcheck.model.kernel.S2Break;
import tlbcheck.model.kernel.S2Change;
import tlbcheck.model.kernel.S2Make;
import tlbcheck.model.kernel.S2Read;
import tlbcheck.model.kernel.S2RelaxPerms;
import tlbcheck.model.kernel.S2Tlbi;
import tlbcheck.model.kernel.SetPteNewFrame;
import tlbcheck.model.kernel.SetPteWritable;
import tlbcheck.model.kernel.SkipUnless;
import tlbcheck.model.kernel.SkipUnlessBbm2;
import tlbcheck.model.kernel.TlbBatch;
import tlbcheck.model.kernel.TlbFlushPending;
import tlbcheck.model.kernel.Trigger;
import tlbcheck.model.kernel.WriteProtectPte;
import tlbcheck.model.step.Advance;
import tlbcheck.model.step.AtcEvict;
import tlbcheck.model.step.AtcFill;
import tlbcheck.model.step.CpuAccess;
import tlbcheck.model.step.CpuEvict;
import tlbcheck.model.step.CpuFill;
import tlbcheck.model.step.DeviceAccess;
import tlbcheck.model.step.DeviceIssue;
import tlbcheck.model.step.HandleDeviceFault;
import tlbcheck.model.step.SmmuEvict;
import tlbcheck.model.step.SmmuFill;
import tlbcheck.model.step.Start;
import tlbcheck.model.step.Step;
import tlbcheck.model.step.VcpuAccess;
import tlbcheck.model.step.VcpuEvict;
import tlbcheck.model.step.VcpuFill;

/**
 * What a step may read and write in a given state, as sets of locations: each page's PTE, each TLB slot (a CPU's or an
 * SMMU's entry for a page, and with ATS each device's ATC entry), each CPU's procedure in flight, whether that
 * procedure has changed a translation (what a device's retry reads of it), each device; under KVM each stage-2 entry, each vCPU TLB slot, the vCPUs' no-progress
 * counts and KVM's own bookkeeping (mmu_lock, the invalidation count, the APIC-access page); and one location for
 * everything else (locks, the free list). Two steps whose footprints do not conflict (neither writes what the other reads or writes)
 * commute in that state: each stays enabled after the other, and both orders reach the same state. That is what the
 * explorer's sleep sets need ({@link Explorer}).
 *
 * <p>A footprint must cover everything the step's enabledness and effect depend on, or the explorer could skip a
 * state; too large a footprint only costs speed. So a step or an op not listed here touches everything, and a
 * user's own op is explored exactly as before. {@code FootprintCommutationTest} fires both orders of every pair
 * called independent on walks of every variant.
 */
final class Footprint {

    /** Every location: the footprint of a step this class does not know. */
    static final long EVERYTHING = -1L;

    private final Model model;
    private final int pages;
    private final int cpus;
    private final int smmus;
    /** Whether the locations fit in a long; when not, every step touches everything. */
    private final boolean fits;
    private final long global;
    /** Whether the platform has a guest, and where KVM's locations start. */
    private final boolean kvm;
    private final int kvmBase;
    /** Whether the devices have ATCs (ATS): one more slot per device and page. */
    private final boolean ats;
    private final long allRunning;
    private final long allInFlight;

    /** The footprint {@link #of} found: locations read, and locations written. */
    long reads;
    long writes;

    Footprint(Model model) {
        this.model = model;
        this.pages = model.scope().pages();
        this.cpus = model.scope().cpus();
        this.smmus = model.scope().smmus();
        this.ats = model.platform().ats();
        int bits = pages + (cpus + smmus) * pages + 3 * cpus + smmus + (ats ? smmus * pages : 0) + 1;
        this.kvmBase = bits;
        this.kvm = model.platform().guest() != Platform.Guest.NONE;
        if (kvm) bits += 1 + pages + 1 + cpus * pages + cpus + 1;
        this.fits = bits <= 63;
        this.global = fits ? 1L << (kvmBase - 1) : EVERYTHING;
        long r = 0;
        for (int c = 0; c < cpus && fits; c++) r |= running(c);
        this.allRunning = r;
        long f = 0;
        for (int c = 0; c < cpus && fits; c++) f |= inFlight(c);
        this.allInFlight = f;
        this.owed = new int[cpus * pages];
    }

    /** Whether the scope's locations fit in a long; when not, every step touches everything. */
    boolean fits() {
        return fits;
    }

    /** Whether two footprints conflict: one writes what the other reads or writes. */
    static boolean conflict(long readsA, long writesA, long readsB, long writesB) {
        return (writesA & (readsB | writesB)) != 0 || (writesB & readsA) != 0;
    }

    private long pte(int page) {
        return 1L << page;
    }

    private long cpuSlot(int cpu, int page) {
        return 1L << (pages + cpu * pages + page);
    }

    private long smmuSlot(int smmu, int page) {
        return 1L << (pages + (cpus + smmu) * pages + page);
    }

    private long running(int cpu) {
        return 1L << (pages * (1 + cpus + smmus) + cpu);
    }

    /**
     * Whether CPU {@code cpu}'s procedure has written its PTE, with its range: a part of its procedure slot that only a
     * PTE write and the procedure's end change ({@code State.translationChangeInFlight}).
     */
    private long inFlight(int cpu) {
        return 1L << (pages * (1 + cpus + smmus) + cpus + cpu);
    }

    private long device(int smmu) {
        return 1L << (pages * (1 + cpus + smmus) + 2 * cpus + smmu);
    }

    /**
     * Whether CPU {@code cpu} stands where its procedure holds a spinlock ({@code Model.holdsSpinlock}): the part of its
     * procedure slot a user access reads, which only a step that takes or drops the lock, enters a procedure or ends
     * one changes.
     */
    private long spinlock(int cpu) {
        return 1L << (pages * (1 + cpus + smmus) + 2 * cpus + smmus + cpu);
    }

    /** Device {@code dev}'s ATC entry for the page (ATS). */
    private long atcSlot(int dev, int page) {
        return 1L << (pages * (1 + cpus + smmus) + 3 * cpus + smmus + dev * pages + page);
    }

    /** Every device's ATC slots of the pages in the mask (PTE bits); none without ATS. */
    private long atcSlotsOf(long pageMask) {
        long m = 0;
        for (int page = 0; ats && page < pages; page++) {
            if ((pageMask & pte(page)) == 0) continue;
            for (int d = 0; d < smmus; d++) m |= atcSlot(d, page);
        }
        return m;
    }

    /** KVM's bookkeeping: mmu_lock, the invalidation count, the APIC-access page and its reload request. */
    private long kvmState() {
        return 1L << kvmBase;
    }

    private long s2(int page) {
        return 1L << (kvmBase + 1 + page);
    }

    private long s2Block() {
        return 1L << (kvmBase + 1 + pages);
    }

    private long vcpuSlot(int cpu, int page) {
        return 1L << (kvmBase + 2 + pages + cpu * pages + page);
    }

    private long vcpuBlock(int cpu) {
        return 1L << (kvmBase + 2 + pages + cpus * pages + cpu);
    }

    private long vcpuNoProgress() {
        return 1L << (kvmBase + 2 + pages + cpus * pages + cpus);
    }

    /** Every vCPU's slots for the pages (PTE bits) and every vCPU's block entry. */
    private long vcpuSlotsOf(long pageMask) {
        long m = 0;
        for (int c = 0; c < cpus; c++) {
            m |= vcpuBlock(c);
            for (int page = 0; page < pages; page++) if ((pageMask & pte(page)) != 0) m |= vcpuSlot(c, page);
        }
        return m;
    }

    /** Every TLB slot of the page, CPUs' and SMMUs'. */
    private long slots(int page) {
        long m = 0;
        for (int c = 0; c < cpus; c++) m |= cpuSlot(c, page);
        for (int s = 0; s < smmus; s++) m |= smmuSlot(s, page);
        for (int d = 0; ats && d < smmus; d++) m |= atcSlot(d, page);
        return m;
    }

    /**
     * The procedures a change of this TLB slot pays a debt of ({@code State.withCpuTlb} and {@code withSmmuTlb}
     * clear the bit of every procedure that owes the page's invalidation to that TLB). A procedure that owes
     * nothing there now is not in it: a step that could make it owe reads the slot itself.
     */
    private long debtors(State s, int page, int bits) {
        read(s);
        long m = 0;
        for (int c = 0; c < cpus; c++) if ((owed[c * pages + page] & bits) != 0) m |= running(c);
        return m;
    }

    /** The procedures a change of this vCPU's block entry pays a debt of: the block covers every page. */
    private long blockDebtors(State s, int cpu) {
        long m = 0;
        for (int p = 0; p < pages; p++) m |= debtors(s, p, Running.vcpuBlockBit(cpu));
        return m;
    }

    /** The state whose debts {@link #owed} holds: each CPU's procedure's debts on each page (0 for an idle CPU). */
    private State read;
    private final int[] owed;

    private void read(State s) {
        if (s == read) return;
        read = s;
        for (int c = 0; c < cpus; c++) {
            Option<Running> r = s.running(c);
            for (int page = 0; page < pages; page++) owed[c * pages + page] = r.isDefined() ? r.get().owedOn(page) : 0;
        }
    }

    /** Sets {@link #reads} and {@link #writes} for the step, which must be enabled in {@code s}. */
    void of(State s, Step step) {
        if (!fits) {
            set(EVERYTHING, EVERYTHING);
            return;
        }
        if (step instanceof CpuFill f) {
            long slot = cpuSlot(f.cpu(), f.page());
            set(slot | pte(f.page()), slot | debtors(s, f.page(), Running.cpuBit(f.cpu())));
        } else if (step instanceof CpuEvict e) {
            long slot = cpuSlot(e.cpu(), e.page());
            set(slot, slot | debtors(s, e.page(), Running.cpuBit(e.cpu())));
        } else if (step instanceof CpuAccess a) {
            // Whether the CPU holds a spinlock too (a PTL, mmu_lock): under one it makes no access.
            long slot = cpuSlot(a.cpu(), a.page());
            if (s.cpuTlb(a.cpu(), a.page()).present()) {
                set(slot | spinlock(a.cpu()), 0);  // a hit changes nothing
            } else {
                set(slot | pte(a.page()) | spinlock(a.cpu()), slot | debtors(s, a.page(), Running.cpuBit(a.cpu())));
            }
        } else if (step instanceof SmmuFill f) {
            long slot = smmuSlot(f.smmu(), f.page());
            set(slot | pte(f.page()), slot | debtors(s, f.page(), Running.smmuBit(f.smmu()) | Running.smmuDiffersBit(f.smmu())));
        } else if (step instanceof SmmuEvict e) {
            long slot = smmuSlot(e.smmu(), e.page());
            set(slot, slot | debtors(s, e.page(), Running.smmuBit(e.smmu()) | Running.smmuDiffersBit(e.smmu())));
        } else if (step instanceof AtcFill f) {
            // From the SMMU's TLB entry, or a walk that fills that entry too (paying its debts).
            long slot = atcSlot(f.device(), f.page());
            long tlb = smmuSlot(f.device(), f.page());
            long w = s.smmuTlb(f.device(), f.page()).present() ? slot
                    : slot | tlb | debtors(s, f.page(), Running.smmuBit(f.device()) | Running.smmuDiffersBit(f.device()));
            set(slot | tlb | pte(f.page()), w);
        } else if (step instanceof AtcEvict e) {
            long slot = atcSlot(e.device(), e.page());
            set(slot, slot);
        } else if (step instanceof DeviceIssue d) {
            set(device(d.device()), device(d.device()));
        } else if (step instanceof DeviceAccess a) {
            deviceAccess(s, a.device());
        } else if (step instanceof HandleDeviceFault h) {
            long w = running(h.cpu()) | spinlock(h.cpu()) | device(h.device());
            set(w, w);
        } else if (step instanceof VcpuFill f) {
            vcpuSlotChange(s, f.cpu(), f.page(), true);
        } else if (step instanceof VcpuEvict e) {
            vcpuSlotChange(s, e.cpu(), e.page(), false);
        } else if (step instanceof VcpuAccess a) {
            vcpuAccess(s, a.cpu(), a.page());
        } else if (step instanceof Start st) {
            start(s, st);
        } else if (step instanceof Advance a) {
            advance(s, a.cpu());
        } else {
            set(EVERYTHING, EVERYTHING);
        }
    }

    /**
     * A device's try: it reads its PTE and its SMMU's entry (filling it on a miss), and, when it faults, whether any
     * procedure is changing that translation (to count a retry that made no progress).
     */
    private void deviceAccess(State s, int d) {
        int page = s.device(d).page();
        long slot = smmuSlot(d, page);
        long w = device(d);
        if (!s.smmuTlb(d, page).present() && s.pte(page).present()) {
            w |= slot | debtors(s, page, Running.smmuBit(d) | Running.smmuDiffersBit(d));
        }
        set(device(d) | pte(page) | slot | (ats ? atcSlot(d, page) : 0) | allInFlight, w);
    }

    /**
     * A vCPU TLB fill (from stage 2) or eviction of a page entry, or of the block entry (page -1). It pays the debts
     * of the procedures that owe its invalidation ({@code State.withKvm}): for the block, on any page of their range.
     */
    private void vcpuSlotChange(State s, int cpu, int page, boolean fill) {
        if (page < 0) {
            set(vcpuBlock(cpu) | (fill ? s2Block() : 0), vcpuBlock(cpu) | blockDebtors(s, cpu));
        } else {
            long slot = vcpuSlot(cpu, page);
            set(slot | (fill ? s2(page) : 0), slot | debtors(s, page, Running.vcpuBit(cpu)));
        }
    }

    /**
     * An arm64 vCPU's access: it translates through its TLB or stage 2 (filling its TLB on a walk); a permission fault
     * counts a retry that made no progress unless some procedure is changing a translation, and enters the fault
     * handler on its CPU.
     */
    private void vcpuAccess(State s, int cpu, int page) {
        long debts = debtors(s, page, Running.vcpuBit(cpu)) | blockDebtors(s, cpu);
        long w = vcpuSlot(cpu, page) | vcpuBlock(cpu) | debts | vcpuNoProgress() | running(cpu) | spinlock(cpu);
        set(w | s2(page) | s2Block() | allInFlight, w);
    }

    private void set(long r, long w) {
        reads = r | w;
        writes = w;
    }

    /**
     * An idle CPU enters a procedure: it reads what its trigger looks at, writes its own procedure slot, and runs the
     * procedure's leading silent ops.
     */
    private void start(State s, Start st) {
        int index = model.kernel().indexOf(st.procedure());
        Procedure p = model.kernel().procedure(index);
        long trigger = trigger(p.trigger(), st.page(), st.pages());
        if (trigger == EVERYTHING) {
            set(EVERYTHING, EVERYTHING);
            return;
        }
        // A fault is not taken where the CPU's own TLB grants the access.
        long own = p.trigger().byAccess() ? cpuSlot(st.cpu(), st.page()) : 0;
        Running r = Running.start(index, st.page(), st.pages(), st.write(), -1);
        if (!settle(s, st.cpu(), r, p, 1L << 0, false, trigger | own | running(st.cpu()), running(st.cpu()))) {
            set(EVERYTHING, EVERYTHING);
        }
    }

    /** What a trigger of the catalogue reads for these pages; everything for one it does not know. */
    private long trigger(Trigger t, int page, int n) {
        long ptes = 0;
        long entries = 0;
        for (int x = page; x < page + n; x++) {
            ptes |= pte(x);
            if (kvm) entries |= s2(x);
        }
        if (t == Trigger.ANY) return 0;
        if (t == Trigger.PTE_VALID || t == Trigger.PTE_READ_ONLY
                || t == Trigger.PTE_INVALID) return ptes;
        if (!kvm) return EVERYTHING;
        if (t == Trigger.KVM_S2_MISSING) return ptes | entries;
        if (t == Trigger.APIC_RELOAD) return kvmState();
        if (t == Trigger.S2_BLOCK) return s2Block();
        if (t == Trigger.S2_PAGE_WRITABLE || t == Trigger.S2_PAGE_READ_ONLY
                || t == Trigger.S2_PAGE_VALID) return entries;
        if (t == Trigger.S2_PAGE_NONE) return entries | s2Block();
        return EVERYTHING;
    }

    /**
     * The op at the procedure's position, and the silent ops the step runs after it ({@code Procedure.settle}): from
     * where the op leaves the procedure on, as far as an op that is not silent, following both ways of every check
     * that may jump. Each op's footprint is taken in the state before the step: the ops this class knows read and
     * write the same locations whatever an earlier op of the same step did, except a batched flush, which is so only
     * where the procedure never sets the batch itself.
     */
    private void advance(State s, int cpu) {
        Running r = s.running(cpu).get();
        Procedure p = model.kernel().procedure(r.procedure());
        Op at = p.op(r.pc()).unwrapped();
        if (!op(s, cpu, r, p, at)) {
            set(EVERYTHING, EVERYTHING);
            return;
        }
        if (!settle(s, cpu, r, p, next(at, r.pc(), p.length()), model.holdsSpinlockAt(r.procedure(), r.pc()),
                reads | running(cpu), writes | running(cpu))) {
            set(EVERYTHING, EVERYTHING);
        }
    }

    /**
     * The positions an op at position i of a procedure of this length may leave it at (bits): the next one, or where
     * the op may jump.
     */
    private static long next(Op op, int i, int length) {
        if (op instanceof SkipUnless skip) return bit(i + 1) | bit(i + 1 + skip.skip());
        if (op instanceof KvmRetryCheck check) return bit(i + 1) | bit(i + 1 + check.skip());
        if (op instanceof Goto jump) return bit(i + 1 + jump.skip());
        if (op instanceof SkipUnlessBbm2 skip) return bit(i + 1) | bit(i + 1 + skip.skip());
        if (op instanceof S2Read read) return bit(i + 1) | bit(i + 1 + read.rest());
        if (op instanceof S2Break || op instanceof S2Make) {
            return bit(i + 1) | bit(length);  // a CAS that fails ends the procedure
        }
        if (op instanceof MmapTryLock) return bit(i + 1) | bit(length);  // a trylock that fails gives up
        return bit(i + 1);
    }

    /** A position as a bit; positions past 62 (the procedure's end or beyond) share bit 63. */
    private static long bit(int position) {
        return position < 0 ? 0 : 1L << Math.min(position, 63);
    }

    /**
     * Adds to the footprint given the silent ops that run from the given positions on, and sets it; false if one of
     * them is an op this class does not know. {@code held}: whether the CPU held a spinlock before the step; the step
     * writes that it does when it may stop where it holds one the other way.
     */
    private boolean settle(State s, int cpu, Running r, Procedure p, long from, boolean held, long rd, long wr) {
        boolean mayEnd = false;
        long seen = 0;
        long todo = from;
        while (todo != 0) {
            int i = Long.numberOfTrailingZeros(todo);
            todo &= todo - 1;
            if (i >= p.length()) {
                mayEnd = true;
                if (held) wr |= spinlock(cpu);
                continue;
            }
            if ((seen & 1L << i) != 0) continue;
            seen |= 1L << i;
            Op op = p.op(i);
            if (!op.silent()) {
                if (model.holdsSpinlockAt(r.procedure(), i) != held) wr |= spinlock(cpu);
                continue;
            }
            Op inner = op.unwrapped();
            long targets = next(inner, i, p.length());
            if (!op(s, cpu, r, p, inner)) return false;
            todo |= targets & ~seen;
            rd |= reads;
            wr |= writes;
        }
        if (mayEnd && r.wrotePte()) wr |= inFlight(cpu);
        set(rd, wr);
        return true;
    }

    /** The pages an op of this procedure works on: its range and its page-table pointer's page, or all of them. */
    private long pagesOf(Running r, boolean wholeRange) {
        long m = 0;
        if (wholeRange) {
            for (int page = 0; page < pages; page++) m |= pte(page);
            return m;
        }
        for (int page = r.page(); page <= r.lastPage(); page++) m |= pte(page);
        return m | pte(r.ptep());
    }

    /** The stage-2 entries a change reads or writes: all of them and the block for a block change, else its page's and the block. */
    private long stage2(S2Change change, Running r) {
        if (!change.wholeRange()) return s2(r.page()) | s2Block();
        long m = s2Block();
        for (int page = 0; page < pages; page++) m |= s2(page);
        return m;
    }

    /** The pages (PTE bits) whose vCPU entries a stage-2 write may touch. */
    private long touched(Op op, Running r) {
        boolean whole = op instanceof S2Break b && b.change().wholeRange()
                || op instanceof S2Make m && m.change().wholeRange();
        return whole ? pagesOf(r, true) : pte(r.page());
    }

    /** Whether the procedure has an op that sets the batched-flush flag. */
    private static boolean setsBatch(Procedure p) {
        for (int i = 0; i < p.length(); i++) {
            if (p.op(i).unwrapped() instanceof TlbBatch b && b.set()) return true;
        }
        return false;
    }

    /** One CPU's TLB slots of the pages in the mask (PTE bits). */
    private long cpuSlotsOf(int cpu, long pageMask) {
        long m = 0;
        for (int page = 0; page < pages; page++) if ((pageMask & pte(page)) != 0) m |= cpuSlot(cpu, page);
        return m;
    }

    /** Every SMMU's slots of the pages in the mask (PTE bits). */
    private long smmuSlotsOf(long pageMask) {
        long m = 0;
        for (int page = 0; page < pages; page++) {
            if ((pageMask & pte(page)) == 0) continue;
            for (int x = 0; x < smmus; x++) m |= smmuSlot(x, page);
        }
        return m;
    }

    /** Every TLB slot of the pages in the mask (PTE bits). */
    private long slotsOf(long pageMask) {
        long m = 0;
        for (int page = 0; page < pages; page++) if ((pageMask & pte(page)) != 0) m |= slots(page);
        return m;
    }

    /** The devices waiting on one of these pages (PTE bits): a PTE write there resets their no-progress count. */
    private long devicesOn(State s, long pageMask) {
        long m = 0;
        for (int d = 0; d < smmus; d++) {
            if (s.device(d).outstanding() && (pageMask & pte(s.device(d).page())) != 0) m |= device(d);
        }
        return m;
    }

    /** The procedures owing an invalidation on one of these pages (PTE bits), to any TLB. */
    private long owingOn(State s, long pageMask) {
        read(s);
        long m = 0;
        for (int c = 0; c < cpus; c++) {
            for (int page = 0; page < pages; page++) {
                if ((pageMask & pte(page)) != 0 && owed[c * pages + page] != 0) m |= running(c);
            }
        }
        return m;
    }

    /** Sets the footprint of one op of CPU {@code cpu}'s procedure; false for an op this class does not know. */
    private boolean op(State s, int cpu, Running r, Procedure p, Op op) {
        if (op instanceof MmapLock || op instanceof MmapTryLock || op instanceof MmapUnlock || op instanceof PtlLock
                || op instanceof PtlUnlock
                || op instanceof TlbFlushPending || op instanceof AllocFrame || op instanceof CopyToNewFrame) {
            set(global, global);
        } else if (op instanceof ReleaseUnusedFrame) {
            set(pte(r.page()) | global, global);  // frees the frame unless its PTE maps it
        } else if (op instanceof RangeStart || op instanceof RangeEnd || op instanceof WriteOut) {
            set(0, 0);  // the procedure's own flag
        } else if (op instanceof SkipUnless skip && skip.condition() instanceof PteCondition || op instanceof Goto
                || op instanceof OrigPte) {
            set(op instanceof Goto ? 0 : pte(r.page()), 0);  // reads its PTE; its own locals are the procedure's
        } else if (op instanceof TlbBatch b) {
            // Setting the batched flag is a lock bit; flushing the batch drops every page from every TLB, and only
            // reads the flag when no batch is pending (unless this procedure may set one earlier in the same step).
            long all = pagesOf(r, true);
            if (b.set()) set(global, global);
            else if (!s.locks().tlbFlushBatched() && !setsBatch(p)) set(global, 0);
            else set(all | global, slotsOf(all) | allRunning | global);
        } else if (op instanceof ClearPte || op instanceof WriteProtectPte || op instanceof SetPteWritable
                || op instanceof SetPteNewFrame || op instanceof MapNewFrame || op instanceof MovePtes) {
            // A PTE write re-points or keeps every TLB's entry for it, computes what it leaves stale from them and
            // from the other procedures' debts, and resets the no-progress count of the devices waiting on the page.
            long ps = pagesOf(r, r.pages() > 1);
            long w = ps | slotsOf(ps) | devicesOn(s, ps) | inFlight(cpu) | global;
            set(w | allRunning, w);
        } else if (op instanceof FlushTlbPage f) {
            // Dropping entries pays the debts of the procedures that owe their invalidation. A flush owed only after
            // a PTE write reads nothing else when there was none.
            if (!f.unconditional() && !r.wrotePte()) {
                set(0, 0);
                return true;
            }
            long ps = pagesOf(r, r.pages() > f.mmAbove());
            long slots = f.broadcast() ? slotsOf(ps) : cpuSlotsOf(cpu, ps);
            set(slots, slots | owingOn(s, ps));
        } else if (op instanceof FlushTlbMmIfNested) {
            // Reads tlb_flush_pending; when another gather is pending, drops every page from every TLB.
            if (s.locks().tlbFlushPending() <= 1) {
                set(global, 0);
                return true;
            }
            long all = pagesOf(r, true);
            long slots = slotsOf(all);
            set(global | slots, slots | owingOn(s, all));
        } else if (op instanceof NotifySecondary n) {
            // The SMMUs' entries (under BTM the CPU's broadcast TLBI did it, and this drops none), then the ATCs'.
            long ps = pagesOf(r, r.pages() > n.asidAbove());
            long slots = n.onlyAfterFlush() && !r.wrotePte() ? 0
                    : (model.platform().btm() ? 0 : smmuSlotsOf(ps)) | (n.atc() ? atcSlotsOf(ps) : 0);
            if (slots == 0) {
                set(0, 0);
                return true;
            }
            set(slots, slots | owingOn(s, ps));
        } else if (op instanceof InvalidateAtc a) {
            long slots = a.onlyAfterFlush() && !r.wrotePte() ? 0 : atcSlotsOf(pagesOf(r, false));
            set(slots, slots);
        } else if (op instanceof FreeOldFrame) {
            // page_mapcount reads every PTE; another unmap's held reference is in its procedure.
            set(pagesOf(r, true) | allRunning | global, global);
        } else if (kvm && (op instanceof KvmLock || op instanceof KvmRetryCheck
                || op instanceof KvmRequestApicReload || op instanceof KvmCheckRequest
                || op instanceof KvmInstallApic)) {
            set(kvmState(), kvmState());
        } else if (op instanceof KvmTranslate) {
            set(pte(r.page()), 0);
        } else if (kvm && op instanceof KvmInvalidateRangeEnd) {
            set(kvmState(), kvmState() | allRunning);  // an invalidation ended: the other fault-ins' sequence moved
        } else if (kvm && (op instanceof KvmInvalidateRangeStart
                || op instanceof KvmInstallS2)) {
            // Stage-2 writes: they drop or re-point the vCPUs' entries (paying debts) and reset their no-progress counts.
            long ps = pagesOf(r, false);
            long entries = 0;
            for (int page = 0; page < pages; page++) if ((ps & pte(page)) != 0) entries |= s2(page);
            long w = kvmState() | entries | s2Block() | vcpuSlotsOf(ps) | vcpuNoProgress() | allRunning;
            set(w, w);
        } else if (kvm && op instanceof SkipUnlessBbm2) {
            set(0, 0);
        } else if (kvm && op instanceof S2Read read) {
            long trigger = trigger(p.trigger(), r.page(), r.pages());
            if (trigger == EVERYTHING) return false;
            set(trigger | stage2(read.change(), r), 0);
        } else if (kvm && (op instanceof S2Break || op instanceof S2Make
                || op instanceof S2RelaxPerms)) {
            // A stage-2 write: the entries it reads and CASes, the vCPU entries it makes stale (read for the debt) or
            // re-points, the no-progress counts it resets, the debts it pays; a map takes a free frame.
            long entries = op instanceof S2Break b ? stage2(b.change(), r)
                    : op instanceof S2Make m ? stage2(m.change(), r) : s2(r.page()) | s2Block();
            long w = entries | vcpuSlotsOf(touched(op, r)) | vcpuNoProgress() | allRunning | inFlight(cpu) | global;
            set(w, w);
        } else if (kvm && op instanceof S2Tlbi t) {
            if (!r.wrotePte() && !t.always()) {
                set(0, 0);
                return true;
            }
            long w = vcpuSlotsOf(t.change().wholeRange() ? pagesOf(r, true) : pte(r.page())) | allRunning;
            set(w, w);
        } else if (op instanceof ResumeDevice) {
            long d = r.device() >= 0 ? device(r.device()) : 0;
            set(d, d);
        } else {
            return false;
        }
        return true;
    }
}
