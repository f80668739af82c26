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
 * fingerprint of a state's canonical form: states that differ only by a renaming the model cannot tell
 * apart ({@link Symmetry}) share one fingerprint. CPUs are put in order of what they cache and what their
 * procedures are doing; frames are numbered in order of first use (by the pages' PTEs in page order, then the free
 * list from its head, then what procedures in flight hold); pages, and frames only procedures hold, are tried in
 * every order that sorts them by what they are whatever their names (usually one), and the smallest encoding kept.
 */
public final class StateCodec {

    private static final int PTE_BITS = 5;
    private static final int RUNNING_BITS = 64;
    private static final int DEVICE_BITS = 9;
    /** How many frames held only by procedures in flight the canonical form numbers in every order. */
    private static final int MAX_TRIED_REST = 4;
    /** Every order of k things, for k up to {@link #MAX_TRIED_REST}. */
    private static final int[][][] PERMUTATIONS = new int[MAX_TRIED_REST + 1][][];

    static {
        for (int k = 0; k <= MAX_TRIED_REST; k++) PERMUTATIONS[k] = permutations(k);
    }

    /** PTE codes: valid entries, migration entries and the locked stage-2 entry of up to 8 frames ({@link Pte#code}). */
    private static final int PTE_CODES = 26;

    /** A PTE code's kind, frames left out: none, valid read-only, valid writable, migration entry, locked. */
    private static final int[] PTE_SHAPE = new int[PTE_CODES];

    static {
        for (int code = 0; code < PTE_CODES; code++) {
            Pte e = Pte.fromCode(code);
            PTE_SHAPE[code] = e instanceof Pte.Valid v ? 1 + v.perm().ordinal() : e instanceof Pte.Migration ? 3
                    : e instanceof Pte.Locked ? 4 : 0;
        }
    }

    private final Scope scope;
    private final int frames;
    /** A TLB slot code's kind (no entry, one entry and its permission, two and theirs), and the frames it names. */
    private final int[] tlbShape;
    private final int[] tlbFrameA;
    private final int[] tlbFrameB;
    /** The entry of each TLB slot code, made once: decoding a state looks its slots up. */
    private final Pte[] tlbEntries;
    /** Bits of a TLB slot ({@link #tlbCode}): no more than a PTE's in scopes of up to 3 frames. */
    private final int tlbBits;
    /** Bits of a frame's place on the free list ({@link State#freeRank}). */
    private final int rankBits;
    /** Bits of an entry of a procedure's list of frames to free (frame + 1), one entry per page of its range. */
    private final int oldFrameBits;
    /** What a procedure needs beyond {@link #runningCode}: its range length, page-table pointer, frames to free, debts. */
    private final int extraBits;
    private final int words;
    private final boolean kvm;
    /** Whether the devices have ATCs (ATS), encoded after the SMMU TLBs. */
    private final boolean ats;
    private final boolean cpuSymmetry;
    private final boolean frameSymmetry;
    /** The kernel's procedures by index, for errors that name one. */
    private final String[] procedureNames;
    /** The orders of the pages the canonical form tries: every order with page symmetry, else only 0, 1, 2... */
    private final int[][] pageOrders;

    public StateCodec(Model model) {
        this(model, Symmetry.ALL);
    }

    /** With {@link Symmetry#NONE}, CPUs, pages and frames keep their numbers: the unreduced search the reductions are checked against. */
    public StateCodec(Model model, Symmetry symmetry) {
        this.cpuSymmetry = symmetry != Symmetry.NONE;
        this.scope = model.scope();
        tlbcheck.model.Platform.Guest guest = model.platform().guest();
        // A range is pages in a row, so a procedure with a range names pages by their order: pages keep their numbers.
        // Frames do not need to: a range zap frees its frames in address order ({@link Running#oldFrames}).
        // A trigger, condition or op of the user's own may tell pages or frames apart: its kernel keeps their numbers.
        // An ATC (ATS) is encoded as its entries are, by page and frame number: pages and frames keep theirs.
        boolean transparent = KernelSymmetry.opaque(model.kernel()).isEmpty() && !model.platform().ats();
        this.ats = model.platform().ats();
        boolean alike = symmetry == Symmetry.ALL && transparent && guest == tlbcheck.model.Platform.Guest.NONE
                && scope.range() == 1;
        // An x86 guest's stage 2 maps what the process maps, page for page, and keeps frame numbers only to compare
        // them; but its APIC-access page is guest page 0, so there pages keep their numbers. arm64's stage-2 block
        // maps guest page g to its frame plus g: a sum of frame numbers, which renaming would not keep.
        this.frameSymmetry = symmetry == Symmetry.ALL && transparent
                && (guest == tlbcheck.model.Platform.Guest.NONE || guest.x86());
        this.pageOrders = alike && scope.pages() <= 3 ? permutations(scope.pages()) : new int[][] {identity(scope.pages())};
        // A guest page of KVM's own block (no host mm) is backed by the frame of its number.
        this.frames = model.platform().guest() == tlbcheck.model.Platform.Guest.ARM64_STAGE2 && !model.platform().hostMm()
                ? Math.max(scope.frames(), scope.pages()) : scope.frames();
        this.tlbBits = 32 - Integer.numberOfLeadingZeros(2 * frames + 4 * frames * (frames - 1));
        this.rankBits = 32 - Integer.numberOfLeadingZeros(scope.frames());
        this.oldFrameBits = 32 - Integer.numberOfLeadingZeros(frames);
        this.extraBits = 2 + 3 + 1 + scope.range() * oldFrameBits + Running.OWED_BITS * scope.range();
        int kvmBits = model.platform().guest() == tlbcheck.model.Platform.Guest.NONE ? 0
                : 2 + 1 + PTE_BITS * (scope.pages() + 1) + scope.cpus() * (tlbBits * scope.pages() + PTE_BITS + 3) + 4 + 2;
        int bits = scope.pages() * (PTE_BITS + tlbBits * (scope.cpus() + scope.smmus() * (ats ? 2 : 1)) + 1)
                + scope.frames() * rankBits + 4 + 3 + 4 + 1 + scope.cpus() * (RUNNING_BITS + extraBits) + scope.smmus() * DEVICE_BITS + kvmBits;
        this.kvm = kvmBits > 0;
        this.words = (bits + 63) / 64;
        int slots = 1 << tlbBits;
        tlbShape = new int[slots];
        tlbFrameA = new int[slots];
        tlbFrameB = new int[slots];
        tlbEntries = new Pte[slots];
        for (int code = 0; code < slots; code++) {
            Pte e = code <= 2 * frames + 4 * frames * (frames - 1) ? tlbEntry(code, frames) : Pte.INVALID;
            tlbEntries[code] = e;
            tlbFrameA[code] = -1;
            tlbFrameB[code] = -1;
            if (e instanceof Pte.Valid v) {
                tlbShape[code] = 1 + v.perm().ordinal();
                tlbFrameA[code] = v.frame();
            } else if (e instanceof Pte.Both both) {
                tlbShape[code] = 3 + 2 * both.older().perm().ordinal() + both.newer().perm().ordinal();
                tlbFrameA[code] = both.older().frame();
                tlbFrameB[code] = both.newer().frame();
            }
        }
        this.procedureNames = model.kernel().procedures().map(p -> p.name()).toJavaArray(String[]::new);
        Preconditions.checkArgument(model.kernel().procedures().size() <= 16, "at most 16 procedures can be encoded");
        for (var p : model.kernel().procedures()) {
            Preconditions.checkArgument(p.length() < 64, "procedure %s has %s ops; at most 63 can be encoded",
                    p.name(), p.length());
        }
    }

    /** Whether frames are renamed, beside CPUs: platforms without a guest or with an x86 one, one-page procedures. */
    boolean framesAlike() {
        return frameSymmetry;
    }

    /** Whether pages are renamed too: platforms without a guest, one-page procedures. */
    boolean pagesAlike() {
        return pageOrders.length > 1;
    }

    /** How many states at most one canonical state stands for: the size of the group of renamings used. */
    public long orbitBound() {
        long n = 1;
        if (cpuSymmetry) n *= factorial(scope.cpus());
        if (frameSymmetry) n *= factorial(scope.frames()) * pageOrders.length;
        return n;
    }

    private static long factorial(int n) {
        return n <= 1 ? 1 : n * factorial(n - 1);
    }

    private static int[] identity(int n) {
        int[] id = new int[n];
        for (int i = 0; i < n; i++) id[i] = i;
        return id;
    }

    private static int[][] permutations(int n) {
        java.util.List<int[]> out = new java.util.ArrayList<>();
        permute(identity(n), 0, out);
        return out.toArray(new int[0][]);
    }

    private static void permute(int[] a, int k, java.util.List<int[]> out) {
        if (k == a.length) {
            out.add(a.clone());
            return;
        }
        for (int i = k; i < a.length; i++) {
            int t = a[k]; a[k] = a[i]; a[i] = t;
            permute(a, k + 1, out);
            t = a[k]; a[k] = a[i]; a[i] = t;
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

    /** Bits of a stage-2 CAS's snapshot in a {@link #runningCode}: one entry's code, or a collapse's several (5 a page). */
    private static final int SNAPSHOT_BITS = 30;

    /** The code of a procedure in flight, its page and new frame given as renamed. */
    static long runningCode(Running r, int page, int newFrame, int snapshot) {
        Preconditions.checkState(r.flushes() < 32 && r.secondary() < 32, "counter overflow in %s", r);
        long c = 1;
        c = c << 4 | r.procedure();
        c = c << 6 | r.pc();
        c = c << 3 | page;
        c = c << 1 | (r.write() ? 1 : 0);
        c = c << 2 | (r.device() + 1);
        c = c << 4 | (newFrame + 1);
        c = c << 1 | (r.wrotePte() ? 1 : 0);
        c = c << 5 | r.flushes();
        c = c << 5 | r.secondary();
        c = c << 1 | (r.inRange() ? 1 : 0);
        c = c << 1 | (r.seqMoved() ? 1 : 0);
        c = c << SNAPSHOT_BITS | snapshot;
        return c;
    }

    /** The procedure of a nonzero {@link #runningCode}, with what the code leaves out. */
    private static Running running(long c, int rangePages, int ptep, int oldFrames, long owed, boolean wroteOut) {
        int snapshot = (int) (c & ((1L << SNAPSHOT_BITS) - 1)); c >>>= SNAPSHOT_BITS;
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
        return new Running(procedure, pc, page, rangePages, ptep, write, device, newFrame, oldFrames, wrote, flushes, secondary,
                inRange, seqMoved, snapshot, owed, wroteOut);
    }

    /** A procedure's owed-TLB bits, for every page of its range, with CPU and vCPU bits moved to the CPUs' canonical positions. */
    static long renamed(long owed, int[] position) {
        long out = 0;
        for (int shift = 0; shift < 64 && (owed >>> shift) != 0; shift += Running.OWED_BITS) {
            out |= (long) renamed((int) (owed >>> shift) & ((1 << Running.OWED_BITS) - 1), position) << shift;
        }
        return out;
    }

    /**
     * A procedure's owed-TLB bits with the CPUs' names left out: per page, the SMMU bits as they are, and for CPU
     * TLBs, vCPU TLBs and vCPU block entries each, whether its own CPU's is owed and how many others are.
     */
    static long owedShape(long owed, int self) {
        int group = (1 << Scope.MAX_CPUS) - 1;
        long out = 0;
        for (int shift = 0; shift < 64 && (owed >>> shift) != 0; shift += Running.OWED_BITS) {
            int o = (int) (owed >>> shift) & ((1 << Running.OWED_BITS) - 1);
            int shape = o;
            for (int first : CPU_FAMILIES) {
                int bits = o >>> first & group;
                int own = bits >>> self & 1;
                shape = shape & ~(group << first) | (own << 3 | Integer.bitCount(bits) - own) << first;
            }
            out |= (long) shape << shift;
        }
        return out;
    }

    /** Where the owed bits of CPU TLBs, vCPU TLBs and vCPU block entries start ({@link Running#cpuBit} and the others). */
    private static final int[] CPU_FAMILIES = {
        Integer.numberOfTrailingZeros(Running.cpuBit(0)), Integer.numberOfTrailingZeros(Running.vcpuBit(0)),
        Integer.numberOfTrailingZeros(Running.vcpuBlockBit(0))};

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
     * Packs fields into words, low bits first. It keeps the word being filled in a register and stores each word once
     * it is full ({@link #flush} stores the last), instead of or-ing every field into the array.
     */
    private static final class Bits {
        long[] w;
        int base;
        int pos;
        private long acc;

        Bits(long[] w, int base) {
            this.w = w;
            this.base = base;
        }

        void put(long v, int bits) {
            long masked = bits == 64 ? v : v & ((1L << bits) - 1);
            int off = pos & 63;
            acc |= masked << off;
            if (off + bits >= 64) {
                w[base + (pos >>> 6)] = acc;
                acc = off == 0 ? 0 : masked >>> (64 - off);
            }
            pos += bits;
        }

        void skip(int bits) {
            for (; bits > 32; bits -= 32) put(0, 32);
            put(0, bits);
        }

        /** Stores the word being filled and zeroes the words after it up to {@code end}: all of them are then written. */
        void flush(int end) {
            int word = base + (pos >>> 6);
            if ((pos & 63) != 0) w[word++] = acc;
            while (word < end) w[word++] = 0;
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

    /** Writes the canonical form of the state over {@code out[offset .. offset+words)}. */
    public void encodeCanonical(State s, long[] out, int offset) {
        new Encoder().encode(s, out, offset);
    }

    /** An encoder for one thread: the explorer encodes every successor, and this keeps the per-state arrays. */
    Encoder encoder() {
        return new Encoder();
    }

    /**
     * {@link #encodeCanonical} with its scratch arrays kept between calls; one thread's. The state is read once into
     * flat arrays of codes ({@link #read}); each renaming tried then costs table lookups and bit packing only.
     */
    final class Encoder {
        private final int pages = scope.pages();
        private final int cpus = scope.cpus();
        private final int smmus = scope.smmus();

        /** The state being encoded, as read: codes in their own numbering, pages by number. */
        private final int[] pteRaw = new int[pages];
        private final int[] pteFrame = new int[pages];
        private final boolean[] ptl = new boolean[pages];
        private final int[] cpuRaw = new int[cpus * pages];
        private final int[] smmuRaw = new int[smmus * pages];
        private final int[] atcRaw = new int[ats ? smmus * pages : 0];
        private final int[] rank = new int[scope.frames()];
        private final Running[] runs = new Running[cpus];
        private final Device[] devices = new Device[smmus];
        /** Under KVM, what each vCPU caches (TLB slot codes, CPU-major; block entries) and its no-progress count. */
        private final int[] vcpuRaw = new int[cpus * pages];
        private final int[] vcpuBlockRaw = new int[cpus];
        private final int[] vcpuNoProgress = new int[cpus];
        private Locks locks;
        /** The parts of the state last read ({@link #read}). */
        private Array<Pte> lastPtes;
        private Array<Array<Pte>> lastCpuTlbs;
        private Array<Option<Running>> lastRunning;
        private Array<Array<Pte>> lastSmmuTlbs;
        private Array<Array<Pte>> lastAtcs;
        private Array<Integer> lastFreeRank;
        private tlbcheck.model.Kvm lastKvm;

        /** CPU TLB codes, renamed, CPU-major, pages in the order being tried. */
        private final int[] codes = new int[cpus * pages];
        private final long[] run = new long[cpus];
        private final long[] tlb = new long[cpus];
        private final long[] extra = new long[cpus];
        private final long[] owedKey = new long[cpus];
        private final int[] order = new int[cpus];
        private final int[] position = new int[cpus];
        /** A page's place in the order being tried. */
        private final int[] pagePos = new int[pages];
        /** A frame's new number, and the frame given each number. */
        private final int[] label = new int[scope.frames()];
        private final int[] frameAt = new int[scope.frames()];
        /** PTE and TLB codes renamed by {@link #label}, or null when frames keep their numbers. */
        private int[] pteMap;
        private int[] tlbMap;
        /** The renaming tables by labelling (its digits in base {@code frames}), made on first use. */
        private final int[][][] maps;
        private final java.util.Map<Integer, int[][]> bigMaps = new java.util.HashMap<>();
        private final long[] candidate = new long[words];
        private final long[] best = new long[words];

        /** The frames {@link #labelFixed} left unnumbered, and how many. */
        private final int[] rest = new int[scope.frames()];
        private int restCount;
        /**
         * What a page or a frame is whatever the names: a page's {@link #pageKeys key}, then when two pages share it
         * their {@link #pageInvariants invariants}; a frame's {@link #frameInvariants invariant}.
         */
        private final long[] pageKey = new long[pages];
        private final long[] pageInvariant = new long[pages];
        private boolean pagesTied;
        private final long[] frameInvariant = new long[scope.frames()];
        private boolean frameInvariantsMade;

        /** The renaming of the encoding kept: each CPU's and each page's number in the canonical state. */
        private final int[] keptCpu = new int[cpus];
        private final int[] keptPage = new int[pages];

        /** The kept renaming as one number, its digits each CPU's new number then each page's; -1 for the identity. */
        private long keptKey;

        private void keepRenaming() {
            long key = 0;
            boolean identity = true;
            for (int c = 0; c < cpus; c++) {
                keptCpu[c] = position[c];
                key = key * cpus + position[c];
                identity &= position[c] == c;
            }
            for (int p = 0; p < pages; p++) {
                keptPage[p] = pagePos[p];
                key = key * pages + pagePos[p];
                identity &= pagePos[p] == p;
            }
            keptKey = identity ? -1 : key;
        }

        /**
         * {@link #canonicalCpu} and {@link #canonicalPage} as one number, below {@code cpus^cpus * pages^pages} (its
         * digits each CPU's new number, then each page's); -1 for the identity.
         */
        long renamingKey() {
            return keptKey;
        }

        /**
         * The number CPU {@code cpu} of the state last encoded has in the canonical state (the one {@link #decode}
         * gives back). Where two renamings give the same encoding, either is the state's.
         */
        int canonicalCpu(int cpu) {
            return keptCpu[cpu];
        }

        /** As {@link #canonicalCpu}, for a page. */
        int canonicalPage(int page) {
            return keptPage[page];
        }

        Encoder() {
            int n = scope.frames();
            int keys = n <= 6 ? (int) Math.pow(n, n) : 0;
            maps = new int[keys][][];
        }

        void encode(State s, long[] out, int offset) {
            read(s);
            boolean first = true;
            for (int[] pageOrder : pageOrders) {
                if (!ascending(pageKey, pageOrder, null)) continue;
                if (pagesTied && !ascendingWithinKey(pageOrder)) continue;
                for (int i = 0; i < pages; i++) pagePos[pageOrder[i]] = i;
                int fixed = labelFixed(pageOrder);
                int[][] restOrders = restCount <= MAX_TRIED_REST ? PERMUTATIONS[restCount] : PERMUTATIONS[0];
                if (first && pageOrders.length == 1 && restOrders.length == 1) {
                    labelRest(fixed, restOrders[0]);
                    encode(s, pageOrder, out, offset);
                    keepRenaming();
                    return;
                }
                for (int[] restOrder : restOrders) {
                    if (restOrder.length == restCount && restCount > 1) {
                        if (!frameInvariantsMade) frameInvariants();
                        if (!ascending(frameInvariant, restOrder, rest)) continue;
                    }
                    labelRest(fixed, restOrder);
                    encode(s, pageOrder, first ? best : candidate, 0);
                    if (first) {
                        keepRenaming();
                    } else if (before(candidate, best)) {
                        System.arraycopy(candidate, 0, best, 0, words);
                        keepRenaming();
                    }
                    first = false;
                }
            }
            System.arraycopy(best, 0, out, offset, words);
        }

        /**
         * Whether the order puts the things ({@code of[k]}, or {@code k} when {@code of} is null) in ascending order of
         * their invariants. Only such orders are tried: an invariant does not change under any renaming, so two
         * renamings of a state try orders that correspond, and keep the same smallest encoding; usually one order is
         * left.
         */
        private static boolean ascending(long[] invariant, int[] order, int[] of) {
            for (int i = 1; i < order.length; i++) {
                long a = invariant[of == null ? order[i - 1] : of[order[i - 1]]];
                long b = invariant[of == null ? order[i] : of[order[i]]];
                if (a > b) return false;
            }
            return true;
        }

        /** Whether pages that share a key come in ascending order of their invariants ({@link #pageInvariants}). */
        private boolean ascendingWithinKey(int[] order) {
            for (int i = 1; i < order.length; i++) {
                int a = order[i - 1];
                int b = order[i];
                if (pageKey[a] == pageKey[b] && pageInvariant[a] > pageInvariant[b]) return false;
            }
            return true;
        }

        /** Reads the state into the flat arrays, once for all the renamings tried. */
        private void read(State s) {
            // A successor shares every part its step did not change with its parent, and with the successors before
            // it: a part that is the very object read last time is read already.
            if (s.ptes() != lastPtes) {
                lastPtes = s.ptes();
                for (int p = 0; p < pages; p++) {
                    Pte e = lastPtes.get(p);
                    pteRaw[p] = e.code();
                    pteFrame[p] = e.frame();
                }
            }
            if (s.locks() != locks) {
                locks = s.locks();
                for (int p = 0; p < pages; p++) ptl[p] = locks.ptlHeld(p);
            }
            if (s.cpuTlbs() != lastCpuTlbs) {
                lastCpuTlbs = s.cpuTlbs();
                for (int c = 0; c < cpus; c++) {
                    Array<Pte> row = lastCpuTlbs.get(c);
                    for (int p = 0; p < pages; p++) cpuRaw[c * pages + p] = tlbCode(row.get(p), frames);
                }
            }
            if (s.running() != lastRunning) {
                lastRunning = s.running();
                for (int c = 0; c < cpus; c++) {
                    Option<Running> r = lastRunning.get(c);
                    runs[c] = r.isEmpty() ? null : r.get();
                }
            }
            if (s.smmuTlbs() != lastSmmuTlbs) {
                lastSmmuTlbs = s.smmuTlbs();
                for (int m = 0; m < smmus; m++) {
                    Array<Pte> row = lastSmmuTlbs.get(m);
                    for (int p = 0; p < pages; p++) smmuRaw[m * pages + p] = tlbCode(row.get(p), frames);
                }
            }
            if (ats && s.atcs() != lastAtcs) {
                lastAtcs = s.atcs();
                for (int m = 0; m < smmus; m++) {
                    Array<Pte> row = lastAtcs.get(m);
                    for (int p = 0; p < pages; p++) atcRaw[m * pages + p] = tlbCode(row.get(p), frames);
                }
            }
            for (int m = 0; m < smmus; m++) devices[m] = s.device(m);
            if (s.freeRank() != lastFreeRank) {
                lastFreeRank = s.freeRank();
                for (int f = 0; f < rank.length; f++) rank[f] = lastFreeRank.get(f);
            }
            if (s.kvm().present() && s.kvm() != lastKvm) {
                lastKvm = s.kvm();
                for (int c = 0; c < cpus; c++) {
                    for (int p = 0; p < pages; p++) vcpuRaw[c * pages + p] = tlbCode(lastKvm.vcpuTlb(c, p), frames);
                    vcpuBlockRaw[c] = lastKvm.vcpuBlocks().get(c).code();
                    vcpuNoProgress[c] = lastKvm.vcpuNoProgress(c);
                }
            }
            if (pageOrders.length > 1) pageKeys();
            frameInvariantsMade = false;
        }

        /**
         * A first word of what each page is, cheap to make: its PTE's kind and lock, and the shapes of the TLB slots
         * for it ({@link #slotShape}), the CPUs' summed since they are renamed. It tells the pages apart in all but a
         * few states; only those pay for {@link #pageInvariants}.
         */
        private void pageKeys() {
            pagesTied = false;
            for (int p = 0; p < pages; p++) {
                int pf = pteFrame[p];
                long h = PTE_SHAPE[pteRaw[p]] * 2L + (ptl[p] ? 1 : 0);
                for (int m = 0; m < smmus; m++) h = h << 5 | slotShape(smmuRaw[m * pages + p], pf);
                int sum = 0;
                for (int c = 0; c < cpus; c++) sum += slotShape(cpuRaw[c * pages + p], pf);
                pageKey[p] = h << 8 | sum;
                for (int q = 0; q < p; q++) pagesTied |= pageKey[q] == pageKey[p];
            }
            if (pagesTied) pageInvariants();
        }

        /**
         * What each page is, in terms no renaming changes: its PTE's kind, its lock, what the TLBs cache for it (and
         * whether that is the PTE's frame), the devices faulting on it and the procedures working on it. CPUs are
         * summed over, since they are renamed too; SMMUs and devices keep their numbers.
         */
        private void pageInvariants() {
            for (int p = 0; p < pages; p++) {
                int pf = pteFrame[p];
                long h = PTE_SHAPE[pteRaw[p]] * 2L + (ptl[p] ? 1 : 0);
                for (int m = 0; m < smmus; m++) h = h << 5 | slotShape(smmuRaw[m * pages + p], pf);
                h = mix(h);
                for (int c = 0; c < cpus; c++) h += MIXED[slotShape(cpuRaw[c * pages + p], pf)];
                for (int d = 0; d < smmus; d++) {
                    Device dev = devices[d];
                    if (dev.outstanding() && dev.page() == p) {
                        h += mix((0x300L + d) << 16 | dev.status().ordinal() << 1 | (dev.write() ? 1 : 0));
                    }
                }
                for (int c = 0; c < cpus; c++) {
                    Running r = runs[c];
                    if (r == null) continue;
                    long what = ((long) r.procedure() << 8 | r.pc()) * 0x9E3779B97F4A7C15L;
                    if (r.covers(p)) h += what;
                    if (r.ptep() == p) h += Long.rotateLeft(what, 32);
                }
                pageInvariant[p] = h;
            }
        }

        /**
         * What each frame only procedures in flight hold is, in terms no renaming changes: the TLB entries and the
         * procedures that name it, summed over CPUs and pages. Made once a state has two such frames.
         */
        private void frameInvariants() {
            frameInvariantsMade = true;
            for (int j = 0; j < restCount; j++) {
                int f = rest[j];
                long h = 0;
                for (int i = 0; i < cpuRaw.length; i++) h += slotNames(cpuRaw[i], f, 0x100);
                for (int m = 0; m < smmus; m++) {
                    for (int p = 0; p < pages; p++) h += slotNames(smmuRaw[m * pages + p], f, 0x200 + m);
                }
                for (int c = 0; c < cpus; c++) {
                    Running r = runs[c];
                    if (r == null) continue;
                    long what = (long) r.procedure() << 8 | r.pc();
                    if (r.newFrame() == f) h += mix(0x600L << 16 | what);
                    int[] old = r.oldFrameList();
                    for (int i = 0; i < old.length; i++) if (old[i] == f) h += mix((0x700L << 16 | what) << 3 | i);
                }
                frameInvariant[f] = h;
            }
        }

        /** A TLB slot's kind (none, one entry, two), the permissions and which of its entries name the frame {@code pf}. */
        private int slotShape(int code, int pf) {
            int a = tlbFrameA[code];
            int b = tlbFrameB[code];
            return tlbShape[code] << 2 | (a >= 0 && a == pf ? 2 : 0) | (b >= 0 && b == pf ? 1 : 0);
        }

        private long slotNames(int code, int f, int salt) {
            int which = (tlbFrameA[code] == f ? 2 : 0) | (tlbFrameB[code] == f ? 1 : 0);
            return which == 0 ? 0 : mix((long) salt << 16 | tlbShape[code] << 2 | which);
        }

        /** A PTE code with frames renamed. */
        private int pte(int raw) {
            return pteMap == null ? raw : pteMap[raw];
        }

        /** A TLB slot code with frames renamed. */
        private int tlbSlot(int raw) {
            return tlbMap == null ? raw : tlbMap[raw];
        }

        private boolean before(long[] x, long[] y) {
            for (int i = words - 1; i >= 0; i--) {
                if (x[i] != y[i]) return Long.compareUnsigned(x[i], y[i]) < 0;
            }
            return false;
        }

        private int frame(int f) {
            return f < 0 ? f : label[f];
        }

        /**
         * A procedure's snapshot, a PTE code ({@link Running#snapshot}), with its frame renamed where frames are: kept
         * as it was, two states that differ only in which frame a snapshot names would share a canonical form when a
         * renaming of the frames makes the rest of them alike. Where frames are renamed, anything but a PTE code there
         * is refused: the codec could not tell which of its bits name a frame.
         */
        private int snapshot(Running r) {
            if (!frameSymmetry || r.snapshot() == 0) return r.snapshot();
            if (r.snapshot() >= PTE_CODES) {
                throw new IllegalStateException("procedure " + procedureNames[r.procedure()] + " keeps " + r.snapshot()
                        + " in Running.snapshot, which is not a PTE code (Pte.code(), below " + PTE_CODES + "): the explorer"
                        + " renames frames on this platform and must know which frame a snapshot names. Keep one PTE's"
                        + " code there, or a frame in newFrame or oldFrames");
            }
            return pte(r.snapshot());
        }

        private int name(int f, int next) {
            if (f < 0 || label[f] >= 0) return next;
            label[f] = next;
            frameAt[next] = f;
            return next + 1;
        }

        /**
         * Numbers the frames in order of first use: the pages' PTEs (a migration entry's frame too) in the order
         * being tried, then the free list from its head; gives the number of frames numbered, and leaves the
         * others (frames only procedures in flight hold) in {@link #rest}, for {@link #labelRest}. Without frame
         * symmetry every frame keeps its number.
         */
        private int labelFixed(int[] pageOrder) {
            int n = label.length;
            restCount = 0;
            if (!frameSymmetry) {
                for (int f = 0; f < n; f++) {
                    label[f] = f;
                    frameAt[f] = f;
                }
                return n;
            }
            java.util.Arrays.fill(label, -1);
            int next = 0;
            for (int p : pageOrder) next = name(pteFrame[p], next);
            for (int r = 1; next < n; r++) {
                int f = 0;
                while (f < n && rank[f] != r) f++;
                if (f == n) break;
                next = name(f, next);
            }
            for (int f = 0; f < n; f++) if (label[f] < 0) rest[restCount++] = f;
            return next;
        }

        /**
         * Numbers the frames left in {@link #rest} from {@code fixed} on, in the given order of them. The encoder tries
         * every order (up to {@link #MAX_TRIED_REST} such frames; more keep the order of their numbers, which can only
         * leave two renamings of a state apart, never merge states that differ).
         */
        private void labelRest(int fixed, int[] restOrder) {
            if (!frameSymmetry) {
                pteMap = null;
                tlbMap = null;
                return;
            }
            for (int j = 0; j < restCount; j++) {
                int f = rest[restOrder.length == restCount ? restOrder[j] : j];
                label[f] = fixed + j;
                frameAt[fixed + j] = f;
            }
            int n = label.length;
            int key = 0;
            for (int f = 0; f < n; f++) key = key * n + label[f];
            int[][] m;
            if (key < maps.length) {
                m = maps[key];
                if (m == null) m = maps[key] = renamings(label);
            } else {
                m = bigMaps.computeIfAbsent(key, k -> renamings(label));
            }
            pteMap = m[0];
            tlbMap = m[1];
        }

        /** CPU indices in canonical order, by what each caches (its TLB, and under KVM its vCPU's), then by the
         * running procedure's code; also fills {@code codes} and {@code run}. */
        private void canonicalCpuOrder(boolean kvmPresent, int[] pageOrder) {
            int[] map = tlbMap;
            for (int c = 0; c < cpus; c++) {
                order[c] = c;
                long k = 0;
                for (int i = 0; i < pages; i++) {
                    int raw = cpuRaw[c * pages + pageOrder[i]];
                    int code = map == null ? raw : map[raw];
                    codes[c * pages + i] = code;
                    k = k << tlbBits | code;
                }
                if (kvmPresent) {
                    for (int p = 0; p < pages; p++) k = k << tlbBits | tlbSlot(vcpuRaw[c * pages + p]);
                    k = k << PTE_BITS | pte(vcpuBlockRaw[c]);
                    k = k << 3 | vcpuNoProgress[c];
                }
                tlb[c] = k;
                Running r = runs[c];
                run[c] = r == null ? 0 : runningCode(r, pagePos[r.page()], frame(r.newFrame()), snapshot(r));
                extra[c] = r == null ? 0 : (r.wroteOut() ? 1L << 44 : 0) | (long) (r.pages() - 1) << 40
                        | (long) pagePos[r.ptep()] << 32 | oldFrames(r);
                owedKey[c] = r == null || r.owed() == 0 ? 0 : owedShape(r.owed(), c);
            }
            for (int i = 1; i < cpus && cpuSymmetry; i++) { // insertion sort: n is 2 to 4
                int c = order[i];
                int j = i - 1;
                while (j >= 0 && after(order[j], c)) {
                    order[j + 1] = order[j];
                    j--;
                }
                order[j + 1] = c;
            }
        }

        /**
         * Whether CPU {@code a} goes after CPU {@code b}: by what they cache, then their procedures, then what those
         * procedures unmapped and owe. Two CPUs tied on all of it are alike whenever there are two CPUs, so the order
         * is canonical there; with more, a tie can leave two renamings of a state apart, never merge two states.
         */
        private boolean after(int a, int b) {
            if (tlb[a] != tlb[b]) return tlb[a] > tlb[b];
            if (run[a] != run[b]) return run[a] > run[b];
            if (extra[a] != extra[b]) return extra[a] > extra[b];
            return Long.compareUnsigned(owedKey[a], owedKey[b]) > 0;
        }

        /** The frames a procedure is to free, renamed, in its order ({@link Running#oldFrames}'s form). */
        private int oldFrames(Running x) {
            int old = 0;
            int shift = 0;
            for (int m = x.oldFrames(); m != 0; m >>>= Running.OLD_FRAME_BITS, shift += Running.OLD_FRAME_BITS) {
                int f = (m & ((1 << Running.OLD_FRAME_BITS) - 1)) - 1;
                old |= (frameSymmetry ? label[f] : f) + 1 << shift;
            }
            Preconditions.checkState(shift <= Running.OLD_FRAME_BITS * scope.range(),
                    "%s holds more frames to free than its range has pages", x);
            return old;
        }

        private void encode(State s, int[] pageOrder, long[] out, int offset) {
            boolean kvmPresent = kvm && s.kvm().present();
            canonicalCpuOrder(kvmPresent, pageOrder);
            Bits b = new Bits(out, offset);
            int[] pm = pteMap;
            int[] tm = tlbMap;
            for (int i = 0; i < pages; i++) {
                int p = pageOrder[i];
                b.put(pm == null ? pteRaw[p] : pm[pteRaw[p]], PTE_BITS);
                for (int c : order) b.put(codes[c * pages + i], tlbBits);
                for (int m = 0; m < smmus; m++) {
                    int raw = smmuRaw[m * pages + p];
                    b.put(tm == null ? raw : tm[raw], tlbBits);
                }
                for (int m = 0; ats && m < smmus; m++) {
                    int raw = atcRaw[m * pages + p];
                    b.put(tm == null ? raw : tm[raw], tlbBits);
                }
                b.put(ptl[p] ? 1 : 0, 1);
            }
            for (int j = 0; j < rank.length; j++) b.put(rank[frameAt[j]], rankBits);
            Locks locks = this.locks;
            b.put(locks.mmapReaders(), 3);
            b.put(locks.mmapWriter() ? 1 : 0, 1);
            b.put(locks.tlbFlushPending(), 3);
            b.put(locks.rmapReaders(), 3);
            b.put(locks.rmapWriter() ? 1 : 0, 1);
            b.put(locks.tlbFlushBatched() ? 1 : 0, 1);
            for (int i = 0; i < order.length; i++) position[order[i]] = i;
            for (int c : order) {
                Running x = runs[c];
                b.put(run[c], RUNNING_BITS);
                if (x == null) {
                    b.skip(extraBits);
                    continue;
                }
                b.put(x.pages() - 1, 2);
                b.put(pagePos[x.ptep()], 3);
                b.put(x.wroteOut() ? 1 : 0, 1);
                int old = (int) extra[c];
                for (int i = 0; i < scope.range(); i++, old >>>= Running.OLD_FRAME_BITS) {
                    b.put(old & ((1 << Running.OLD_FRAME_BITS) - 1), oldFrameBits);
                }
                b.put(x.owed() == 0 ? 0 : renamed(x.owed(), position), Running.OWED_BITS * scope.range());
            }
            for (int d = 0; d < smmus; d++) {
                Device dev = devices[d];
                b.put(dev.status().ordinal(), 2);
                b.put(dev.outstanding() ? pagePos[dev.page()] : dev.page(), 3);
                b.put(dev.write() ? 1 : 0, 1);
                b.put(dev.noProgress(), 3);
            }
            if (kvm) {
                var k = s.kvm();
                b.put(k.invalidating(), 2);
                b.put(k.mmuLock() ? 1 : 0, 1);
                for (int p = 0; p < s.pages(); p++) b.put(pte(k.s2().get(p).code()), PTE_BITS);
                b.put(pte(k.s2Block().code()), PTE_BITS);
                for (int c : order) {
                    for (int p = 0; p < s.pages(); p++) b.put(tlbSlot(vcpuRaw[c * pages + p]), tlbBits);
                    b.put(pte(vcpuBlockRaw[c]), PTE_BITS);
                    b.put(vcpuNoProgress[c], 3);
                }
                b.put(frame(k.apicFrame()) + 1, 4);
                b.put(k.apicReload() ? 1 : 0, 1);
                b.put(k.apicReloading() ? 1 : 0, 1);
            }
            b.flush(offset + words);
        }
    }

    /** The PTE codes and the TLB slot codes with every frame f renamed to {@code label[f]}. */
    private int[][] renamings(int[] label) {
        int[] pteMap = new int[PTE_CODES];
        for (int code = 0; code < PTE_CODES; code++) {
            Pte e = Pte.fromCode(code);
            pteMap[code] = e.frame() >= 0 && e.frame() < label.length ? renamed(e, label).code() : code;
        }
        int[] tlbMap = new int[1 << tlbBits];
        int slots = 1 + 2 * frames + 4 * frames * (frames - 1);
        for (int code = 0; code < slots; code++) tlbMap[code] = tlbCode(renamed(tlbEntry(code, frames), label), frames);
        return new int[][] {pteMap, tlbMap};
    }

    private static Pte renamed(Pte e, int[] label) {
        if (e instanceof Pte.Valid v) return Pte.valid(label[v.frame()], v.perm());
        if (e instanceof Pte.Migration m) return Pte.Migration.of(label[m.frame()]);
        if (e instanceof Pte.Both both) {
            return Pte.Both.of((Pte.Valid) renamed(both.older(), label), (Pte.Valid) renamed(both.newer(), label));
        }
        return e;
    }

    /** {@code DeviceStatus.values()} copies its array at every call. */
    private static final DeviceStatus[] DEVICE_STATUSES = DeviceStatus.values();

    public State decode(long[] in, int offset) {
        Bits b = new Bits(in, offset);
        int pages = scope.pages();
        Pte[] ptes = new Pte[pages];
        Pte[][] cpu = new Pte[scope.cpus()][pages];
        Pte[][] smmu = new Pte[scope.smmus()][pages];
        Pte[][] atc = new Pte[scope.smmus()][pages];
        Boolean[] ptl = new Boolean[pages];
        for (int p = 0; p < pages; p++) {
            ptes[p] = Pte.fromCode((int) b.get(PTE_BITS));
            for (int c = 0; c < scope.cpus(); c++) cpu[c][p] = tlbEntries[(int) b.get(tlbBits)];
            for (int m = 0; m < scope.smmus(); m++) smmu[m][p] = tlbEntries[(int) b.get(tlbBits)];
            for (int m = 0; m < scope.smmus(); m++) atc[m][p] = ats ? tlbEntries[(int) b.get(tlbBits)] : Pte.INVALID;
            ptl[p] = b.get(1) == 1;
        }
        Integer[] freeRank = new Integer[scope.frames()];
        for (int f = 0; f < freeRank.length; f++) freeRank[f] = (int) b.get(rankBits);
        int readers = (int) b.get(3);
        boolean writer = b.get(1) == 1;
        int tlbFlushPending = (int) b.get(3);
        int rmapReaders = (int) b.get(3);
        boolean rmapWriter = b.get(1) == 1;
        boolean tlbFlushBatched = b.get(1) == 1;
        java.util.List<Option<Running>> running = new java.util.ArrayList<>();
        for (int c = 0; c < scope.cpus(); c++) {
            long code = b.get(RUNNING_BITS);
            int rangePages = (int) b.get(2) + 1;
            int ptep = (int) b.get(3);
            boolean wroteOut = b.get(1) == 1;
            int oldFrames = 0;
            for (int i = 0; i < scope.range(); i++) oldFrames |= (int) b.get(oldFrameBits) << (i * Running.OLD_FRAME_BITS);
            long owed = b.get(Running.OWED_BITS * scope.range());
            running.add(code == 0 ? Option.none() : Option.some(running(code, rangePages, ptep, oldFrames, owed, wroteOut)));
        }
        java.util.List<Device> devices = new java.util.ArrayList<>();
        for (int d = 0; d < scope.smmus(); d++) {
            DeviceStatus status = DEVICE_STATUSES[(int) b.get(2)];
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
                for (int p = 0; p < pages; p++) row[p] = tlbEntries[(int) b.get(tlbBits)];
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
        return new State(Array.of(ptes), Array.of(cpu).map(Array::of), Array.of(smmu).map(Array::of), Array.of(freeRank),
                new Locks(readers, writer, Array.of(ptl), tlbFlushPending, rmapReaders, rmapWriter, tlbFlushBatched), Array.ofAll(running), Array.ofAll(devices), kvmState,
                Array.of(atc).map(Array::of));
    }

    /** {@link #mix} of the values a TLB slot's shape takes. */
    private static final long[] MIXED = new long[64];

    static {
        for (int v = 0; v < MIXED.length; v++) MIXED[v] = mix(0x100 + v);
    }

    /** SplitMix64's finaliser: spreads a small value over 64 bits, so sums of them rarely tie by accident. */
    private static long mix(long z) {
        z = (z + 0x9E3779B97F4A7C15L) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
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
