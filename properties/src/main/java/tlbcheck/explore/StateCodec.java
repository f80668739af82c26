package tlbcheck.explore;

import com.google.common.base.Preconditions;
import io.vavr.collection.Array;
import io.vavr.control.Option;
import tlbcheck.model.Device;
import tlbcheck.model.DeviceStatus;
import tlbcheck.model.Locks;
import tlbcheck.model.Model;
import tlbcheck.model.Pte;
import tlbcheck.model.Running;
import tlbcheck.model.Scope;
import tlbcheck.model.State;

/**
 * Packs a state into a few longs, and back, for the explorer's queue; and gives the 64-bit
 * fingerprint of a state's canonical form. CPUs are interchangeable (every step names its CPU and
 * nothing else tells CPUs apart), so the canonical form sorts them: states that differ only by a
 * renaming of CPUs share one fingerprint.
 */
public final class StateCodec {

    private static final int PTE_BITS = 5;
    private static final int RUNNING_BITS = 64;
    private static final int DEVICE_BITS = 9;

    private final Scope scope;
    private final int frames;
    /** Bits of a TLB slot ({@link #tlbCode}): no more than a PTE's in scopes of up to 3 frames. */
    private final int tlbBits;
    private final int words;
    private final boolean kvm;
    private final boolean cpuSymmetry;

    public StateCodec(Model model) {
        this(model, true);
    }

    /** With {@code cpuSymmetry} off, CPUs keep their indices: the unreduced search the reduction is checked against. */
    public StateCodec(Model model, boolean cpuSymmetry) {
        this.cpuSymmetry = cpuSymmetry;
        this.scope = model.scope();
        // A guest page of KVM's own block (no host mm) is backed by the frame of its number.
        this.frames = model.platform().guest() == tlbcheck.model.Platform.Guest.ARM64_STAGE2 && !model.platform().hostMm()
                ? Math.max(scope.frames(), scope.pages()) : scope.frames();
        this.tlbBits = 32 - Integer.numberOfLeadingZeros(2 * frames + 4 * frames * (frames - 1));
        int kvmBits = model.platform().guest() == tlbcheck.model.Platform.Guest.NONE ? 0
                : 2 + 1 + PTE_BITS * (scope.pages() + 1) + scope.cpus() * (tlbBits * scope.pages() + PTE_BITS + 3) + 4 + 2;
        int bits = scope.pages() * (PTE_BITS + tlbBits * (scope.cpus() + scope.smmus()) + 1)
                + scope.frames() + 4 + 3 + 4 + 1 + scope.cpus() * (RUNNING_BITS + extraBits(scope)) + scope.smmus() * DEVICE_BITS + kvmBits;
        this.kvm = kvmBits > 0;
        this.words = (bits + 63) / 64;
        Preconditions.checkArgument(model.kernel().procedures().size() <= 16, "at most 16 procedures can be encoded");
        for (var p : model.kernel().procedures()) {
            Preconditions.checkArgument(p.length() < 64, "procedure %s has %s ops; at most 63 can be encoded",
                    p.name(), p.length());
        }
    }

    public int words() {
        return words;
    }

    /**
     * A TLB slot's code: 0 for no entry, then one per entry (frame, permission), then one per pair of entries of
     * different frames ({@link Pte.Both}). A TLB never caches a migration entry or a locked stage-2 entry.
     */
    static int tlbCode(Pte e, int frames) {
        if (e instanceof Pte.Valid v) {
            Preconditions.checkState(v.frame() < frames, "frame %s outside the codec's %s", v.frame(), frames);
            return e.code();
        }
        if (e instanceof Pte.Both b) {
            int older = b.older().code() - 1;
            int newer = b.newer().code() - 1;
            int sameFrame = 2 * b.older().frame();
            return 1 + 2 * frames + older * (2 * frames - 2) + (newer < sameFrame ? newer : newer - 2);
        }
        Preconditions.checkArgument(e.none(), "a TLB holds %s", e);
        return 0;
    }

    static Pte tlbEntry(int code, int frames) {
        if (code <= 2 * frames) return Pte.fromCode(code);
        int pair = code - 1 - 2 * frames;
        int older = pair / (2 * frames - 2);
        int newer = pair % (2 * frames - 2);
        if (newer >= 2 * (older / 2)) newer += 2;
        return Pte.Both.of((Pte.Valid) Pte.fromCode(older + 1), (Pte.Valid) Pte.fromCode(newer + 1));
    }

    /** What a procedure needs beyond {@link #runningCode}: its range length, the frames it unmapped, its debts per page. */
    private static int extraBits(Scope scope) {
        return 2 + 3 + scope.frames() + Running.OWED_BITS * scope.range();
    }

    static long runningCode(Option<Running> o) {
        if (o.isEmpty()) return 0;
        Running r = o.get();
        Preconditions.checkState(r.flushes() < 32 && r.secondary() < 32, "counter overflow in %s", r);
        long c = 1;
        c = c << 4 | r.procedure();
        c = c << 6 | r.pc();
        c = c << 3 | r.page();
        c = c << 1 | (r.write() ? 1 : 0);
        c = c << 2 | (r.device() + 1);
        c = c << 4 | (r.newFrame() + 1);
        c = c << 1 | (r.wrotePte() ? 1 : 0);
        c = c << 5 | r.flushes();
        c = c << 5 | r.secondary();
        c = c << 1 | (r.inRange() ? 1 : 0);
        c = c << 1 | (r.seqMoved() ? 1 : 0);
        c = c << 30 | r.snapshot();
        return c;
    }

    static Option<Running> running(long c) {
        if (c == 0) return Option.none();
        int snapshot = (int) (c & ((1L << 30) - 1)); c >>>= 30;
        boolean seqMoved = (c & 1) != 0; c >>>= 1;
        boolean inRange = (c & 1) != 0; c >>>= 1;
        int secondary = (int) (c & 31); c >>>= 5;
        int flushes = (int) (c & 31); c >>>= 5;
        boolean wrote = (c & 1) != 0; c >>>= 1;
        int newFrame = (int) (c & 15) - 1; c >>>= 4;
        int device = (int) (c & 3) - 1; c >>>= 2;
        boolean write = (c & 1) != 0; c >>>= 1;
        int page = (int) (c & 7); c >>>= 3;
        int pc = (int) (c & 63); c >>>= 6;
        int procedure = (int) (c & 15);
        return Option.some(new Running(procedure, pc, page, 1, page, write, device, newFrame, 0, wrote, flushes, secondary,
                inRange, seqMoved, snapshot, 0));
    }

    /** A procedure's owed-TLB bits, for every page of its range, with CPU and vCPU bits moved to the CPUs' canonical positions. */
    static long renamed(long owed, int[] position) {
        long out = 0;
        for (int shift = 0; shift < 64 && (owed >>> shift) != 0; shift += Running.OWED_BITS) {
            out |= (long) renamed((int) (owed >>> shift) & ((1 << Running.OWED_BITS) - 1), position) << shift;
        }
        return out;
    }

    static int renamed(int owed, int[] position) {
        int out = owed;
        for (int c = 0; c < position.length; c++) {
            out &= ~(Running.cpuBit(c) | Running.vcpuBit(c) | Running.vcpuBlockBit(c));
        }
        for (int c = 0; c < position.length; c++) {
            int p = position[c];
            if ((owed & Running.cpuBit(c)) != 0) out |= Running.cpuBit(p);
            if ((owed & Running.vcpuBit(c)) != 0) out |= Running.vcpuBit(p);
            if ((owed & Running.vcpuBlockBit(c)) != 0) out |= Running.vcpuBlockBit(p);
        }
        return out;
    }


    /**
     * A CPU's cached translations (its TLB, and under KVM its vCPU's TLB, block entry and no-progress count) as one
     * key to order CPUs by, most significant first; {@code codes} receives the CPU TLB's code of every page.
     */
    private long tlbKey(State s, int cpu, int[] codes, int at) {
        long k = 0;
        Array<Pte> tlb = s.cpuTlbs().get(cpu);
        for (int p = 0; p < s.pages(); p++) {
            int code = tlbCode(tlb.get(p), frames);
            codes[at + p] = code;
            k = k << tlbBits | code;
        }
        if (s.kvm().present()) {
            for (int p = 0; p < s.pages(); p++) k = k << tlbBits | tlbCode(s.kvm().vcpuTlb(cpu, p), frames);
            k = k << PTE_BITS | s.kvm().vcpuBlocks().get(cpu).code();
            k = k << 3 | s.kvm().vcpuNoProgress(cpu);
        }
        return k;
    }

    private static final class Bits {
        long[] w;
        int base;
        int pos;

        Bits(long[] w, int base) {
            this.w = w;
            this.base = base;
        }

        void reset(long[] w, int base) {
            this.w = w;
            this.base = base;
            this.pos = 0;
        }

        void put(long v, int bits) {
            long masked = bits == 64 ? v : v & ((1L << bits) - 1);
            int word = base + (pos >>> 6);
            int off = pos & 63;
            w[word] |= masked << off;
            if (off + bits > 64) w[word + 1] |= masked >>> (64 - off);
            pos += bits;
        }

        void skip(int bits) {
            pos += bits;
        }

        long get(int bits) {
            int word = base + (pos >>> 6);
            int off = pos & 63;
            long v = w[word] >>> off;
            if (off + bits > 64) v |= w[word + 1] << (64 - off);
            pos += bits;
            return bits == 64 ? v : v & ((1L << bits) - 1);
        }
    }

    /** Writes the canonical form of the state into {@code out[offset .. offset+words)}, which must be zero. */
    public void encodeCanonical(State s, long[] out, int offset) {
        new Encoder().encode(s, out, offset);
    }

    /** An encoder for one thread: the explorer encodes every successor, and this keeps the per-state arrays. */
    Encoder encoder() {
        return new Encoder();
    }

    /** {@link #encodeCanonical} with its scratch arrays kept between calls; one thread's. */
    final class Encoder {
        private final int[] codes = new int[scope.cpus() * scope.pages()];
        private final long[] run = new long[scope.cpus()];
        private final long[] tlb = new long[scope.cpus()];
        private final int[] order = new int[scope.cpus()];
        private final int[] position = new int[scope.cpus()];
        private final Bits b = new Bits(null, 0);

        /** CPU indices in canonical order, by {@link #tlbKey} then by the running procedure's code; also fills
         * {@code codes} (CPU TLB codes, CPU-major) and {@code run} (running codes by CPU). */
        private void canonicalCpuOrder(State s) {
            int n = s.cpus();
            int pages = s.pages();
            for (int c = 0; c < n; c++) {
                order[c] = c;
                tlb[c] = tlbKey(s, c, codes, c * pages);
                run[c] = runningCode(s.running(c));
            }
            for (int i = 1; i < n && cpuSymmetry; i++) { // insertion sort: n is 2 to 4
                int c = order[i];
                int j = i - 1;
                while (j >= 0 && (tlb[order[j]] > tlb[c] || tlb[order[j]] == tlb[c] && run[order[j]] > run[c])) {
                    order[j + 1] = order[j];
                    j--;
                }
                order[j + 1] = c;
            }
        }

        void encode(State s, long[] out, int offset) {
            int pages = s.pages();
            canonicalCpuOrder(s);
            Bits b = this.b;
            b.reset(out, offset);
            Array<Array<Pte>> smmuTlbs = s.smmuTlbs();
            Locks locks = s.locks();
            for (int p = 0; p < pages; p++) {
                b.put(s.pte(p).code(), PTE_BITS);
                for (int c : order) b.put(codes[c * pages + p], tlbBits);
                for (int m = 0; m < smmuTlbs.size(); m++) b.put(tlbCode(smmuTlbs.get(m).get(p), frames), tlbBits);
                b.put(locks.ptlHeld(p) ? 1 : 0, 1);
            }
            for (int f = 0; f < s.frames(); f++) b.put(s.frameFree(f) ? 0 : 1, 1);
            b.put(locks.mmapReaders(), 3);
            b.put(locks.mmapWriter() ? 1 : 0, 1);
            b.put(locks.tlbFlushPending(), 3);
            b.put(locks.rmapReaders(), 3);
            b.put(locks.rmapWriter() ? 1 : 0, 1);
            b.put(locks.tlbFlushBatched() ? 1 : 0, 1);
            for (int i = 0; i < order.length; i++) position[order[i]] = i;
            for (int c : order) {
                Option<Running> r = s.running(c);
                b.put(run[c], RUNNING_BITS);
                if (r.isEmpty()) {
                    b.skip(extraBits(scope));
                    continue;
                }
                Running x = r.get();
                b.put(x.pages() - 1, 2);
                b.put(x.ptep(), 3);
                b.put(x.oldFrames(), scope.frames());
                b.put(x.owed() == 0 ? 0 : renamed(x.owed(), position), Running.OWED_BITS * scope.range());
            }
            for (int d = 0; d < s.smmus(); d++) {
                Device dev = s.device(d);
                b.put(dev.status().ordinal(), 2);
                b.put(dev.page(), 3);
                b.put(dev.write() ? 1 : 0, 1);
                b.put(dev.noProgress(), 3);
            }
            if (kvm) {
                var k = s.kvm();
                b.put(k.invalidating(), 2);
                b.put(k.mmuLock() ? 1 : 0, 1);
                for (int p = 0; p < s.pages(); p++) b.put(k.s2().get(p).code(), PTE_BITS);
                b.put(k.s2Block().code(), PTE_BITS);
                for (int c : order) {
                    for (int p = 0; p < s.pages(); p++) b.put(tlbCode(k.vcpuTlb(c, p), frames), tlbBits);
                    b.put(k.vcpuBlocks().get(c).code(), PTE_BITS);
                    b.put(k.vcpuNoProgress(c), 3);
                }
                b.put(k.apicFrame() + 1, 4);
                b.put(k.apicReload() ? 1 : 0, 1);
                b.put(k.apicReloading() ? 1 : 0, 1);
            }
        }
    }

    public State decode(long[] in, int offset) {
        Bits b = new Bits(in, offset);
        int pages = scope.pages();
        Pte[] ptes = new Pte[pages];
        Pte[][] cpu = new Pte[scope.cpus()][pages];
        Pte[][] smmu = new Pte[scope.smmus()][pages];
        Boolean[] ptl = new Boolean[pages];
        for (int p = 0; p < pages; p++) {
            ptes[p] = Pte.fromCode((int) b.get(PTE_BITS));
            for (int c = 0; c < scope.cpus(); c++) cpu[c][p] = tlbEntry((int) b.get(tlbBits), frames);
            for (int m = 0; m < scope.smmus(); m++) smmu[m][p] = tlbEntry((int) b.get(tlbBits), frames);
            ptl[p] = b.get(1) == 1;
        }
        Boolean[] inUse = new Boolean[scope.frames()];
        for (int f = 0; f < inUse.length; f++) inUse[f] = b.get(1) == 1;
        int readers = (int) b.get(3);
        boolean writer = b.get(1) == 1;
        int tlbFlushPending = (int) b.get(3);
        int rmapReaders = (int) b.get(3);
        boolean rmapWriter = b.get(1) == 1;
        boolean tlbFlushBatched = b.get(1) == 1;
        java.util.List<Option<Running>> running = new java.util.ArrayList<>();
        for (int c = 0; c < scope.cpus(); c++) {
            Option<Running> r = running(b.get(RUNNING_BITS));
            int rangePages = (int) b.get(2) + 1;
            int ptep = (int) b.get(3);
            int oldFrames = (int) b.get(scope.frames());
            long owed = b.get(Running.OWED_BITS * scope.range());
            running.add(r.map(x -> new Running(x.procedure(), x.pc(), x.page(), rangePages, ptep, x.write(), x.device(), x.newFrame(),
                    oldFrames, x.wrotePte(), x.flushes(), x.secondary(), x.inRange(), x.seqMoved(), x.snapshot(), owed)));
        }
        java.util.List<Device> devices = new java.util.ArrayList<>();
        for (int d = 0; d < scope.smmus(); d++) {
            DeviceStatus status = DeviceStatus.values()[(int) b.get(2)];
            int page = (int) b.get(3);
            boolean write = b.get(1) == 1;
            int noProgress = (int) b.get(3);
            devices.add(new Device(status, page, write, noProgress));
        }
        tlbcheck.model.Kvm kvmState = tlbcheck.model.Kvm.NONE;
        if (kvm) {
            int invalidating = (int) b.get(2);
            boolean mmuLock = b.get(1) == 1;
            Pte[] s2 = new Pte[pages];
            for (int p = 0; p < pages; p++) s2[p] = Pte.fromCode((int) b.get(PTE_BITS));
            Pte block = Pte.fromCode((int) b.get(PTE_BITS));
            java.util.List<Array<Pte>> vtlb = new java.util.ArrayList<>();
            Pte[] vblock = new Pte[scope.cpus()];
            Integer[] noProgress = new Integer[scope.cpus()];
            for (int c = 0; c < scope.cpus(); c++) {
                Pte[] row = new Pte[pages];
                for (int p = 0; p < pages; p++) row[p] = tlbEntry((int) b.get(tlbBits), frames);
                vtlb.add(Array.of(row));
                vblock[c] = Pte.fromCode((int) b.get(PTE_BITS));
                noProgress[c] = (int) b.get(3);
            }
            int apic = (int) b.get(4) - 1;
            boolean reload = b.get(1) == 1;
            boolean reloading = b.get(1) == 1;
            kvmState = new tlbcheck.model.Kvm(invalidating, mmuLock, Array.of(s2), block, Array.ofAll(vtlb),
                    Array.of(vblock), apic, reload, reloading, Array.of(noProgress));
        }
        return new State(Array.of(ptes), Array.of(cpu).map(Array::of), Array.of(smmu).map(Array::of), Array.of(inUse),
                new Locks(readers, writer, Array.of(ptl), tlbFlushPending, rmapReaders, rmapWriter, tlbFlushBatched), Array.ofAll(running), Array.ofAll(devices), kvmState);
    }

    /**
     * A 63-bit fingerprint of encoded words (SplitMix64 finalisers chained over the words), never 0 nor
     * {@code Long.MAX_VALUE}: the visited set keeps the top bit of a parent word for itself and those two values
     * for an empty slot and the initial state's missing parent.
     */
    public static long fingerprint(long[] w, int offset, int words) {
        long h = 0x9E3779B97F4A7C15L * (words + 1);
        for (int i = 0; i < words; i++) {
            long z = h ^ w[offset + i];
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            h = z ^ (z >>> 31) ^ (h << 1);
        }
        h >>>= 1;
        return h == 0 || h == Long.MAX_VALUE ? 1 : h;
    }
}
