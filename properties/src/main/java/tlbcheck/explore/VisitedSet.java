package tlbcheck.explore;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The explorer's visited set: state fingerprints, each with the fingerprint of the state it was
 * first reached from (for rebuilding traces). Open addressing over one long array, a slot being a
 * key and its parent side by side (16 bytes, one cache line for both), grown at 3/4 load.
 *
 * <p>Every expanding thread inserts directly, with a compare-and-set on the key, so no thread merges
 * a level alone. The recorded parent must not depend on which thread came first: while a level is
 * being expanded its new states are <em>open</em> (the top bit of the parent word), and every thread
 * that reaches an open state offers its parent, of which the smallest fingerprint stays. Once the
 * level is done the explorer {@link #close closes} them, and a state reached again at a later level
 * keeps its parent. Fingerprints are therefore 63-bit (see {@link StateCodec#fingerprint}).
 *
 * <p>{@link #grow} is not concurrent with {@link #insert}: the explorer's threads stop at {@link #needsGrow}
 * between two states, and it grows the table while none runs.
 */
final class VisitedSet {

    private static final double MAX_LOAD = 0.75;
    /** Past this load an insert refuses rather than probe a table about to fill (a bug, not a scope). */
    private static final double HARD_LOAD = 0.95;
    private static final long OPEN = Long.MIN_VALUE;
    /** The parent word of the initial state: closed, and no fingerprint (fingerprints stay below it). */
    private static final long ROOT = Long.MAX_VALUE;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

    /** Key of slot i at 2i, its parent word at 2i + 1. */
    private long[] table;
    private int mask;
    /** What {@link #touch} read, kept so that the reads are not optimised away. */
    private volatile long touched;
    private final AtomicLong size = new AtomicLong();
    private long growAt;
    private long refuseAt;

    /** Bytes the JVM can still allocate; a test gives a smaller figure to see the refusal. */
    private final java.util.function.LongSupplier available;

    VisitedSet(int initialCapacity) {
        this(initialCapacity, () -> {
            Runtime rt = Runtime.getRuntime();
            return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        });
    }

    VisitedSet(int initialCapacity, java.util.function.LongSupplier available) {
        this.available = available;
        int cap = Integer.highestOneBit(Math.max(1024, initialCapacity) - 1) << 1;
        table = new long[2 * cap];
        mask = cap - 1;
        limits();
    }

    private void limits() {
        growAt = (long) (MAX_LOAD * (mask + 1L));
        refuseAt = (long) (HARD_LOAD * (mask + 1L));
    }

    long size() {
        return size.get();
    }

    long bytes() {
        return 8L * table.length;
    }

    /** Whether the table is past its load factor: the explorer's threads stop, and it calls {@link #grow}. */
    boolean needsGrow() {
        return size.get() >= growAt;
    }

    /** A fingerprint's first slot in an open-addressing table of {@code mask + 1} slots. */
    static int slot(long fp, int mask) {
        long h = fp * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 32) & mask;
    }

    /** The initial state: present, closed, with no parent. */
    void addRoot(long fp) {
        if (!insert(fp, 0)) throw new IllegalStateException("the initial state is added first");
        close(fp);
    }

    /**
     * Reads the first slot of each of these fingerprints, so that the cache misses of a state's successors
     * overlap instead of coming one insert at a time.
     */
    void touch(long[] fps, int n) {
        long[] t = table;
        int m = mask;
        long x = 0;
        for (int j = 0; j < n; j++) x ^= t[2 * slot(fps[j], m)];
        if (x == 42) touched = x;
    }

    /**
     * Adds a fingerprint reached from {@code parent}; true if it was new. A state still open (added
     * during this level) keeps the smallest parent offered. Safe against concurrent inserts.
     */
    boolean insert(long fp, long parent) {
        return add(fp, parent) >= 0;
    }

    /** What {@link #add} gives for a fingerprint added earlier in this level (still open). */
    static final int OPEN_STATE = -1;
    /** What {@link #add} gives for a fingerprint of an earlier level (closed). */
    static final int CLOSED_STATE = -2;

    /**
     * {@link #insert}, giving the slot of a new fingerprint (for {@link #close(long, int)}), or {@link #OPEN_STATE}
     * or {@link #CLOSED_STATE} if it was there.
     */
    int add(long fp, long parent) {
        long[] t = table;
        int m = mask;
        for (int i = slot(fp, m); ; i = (i + 1) & m) {
            long key = t[2 * i];
            if (key == 0) {
                if (SLOT.compareAndSet(t, 2 * i, 0L, fp)) {
                    if (size.incrementAndGet() > refuseAt) {
                        throw new IllegalStateException("visited set over " + HARD_LOAD + " load: the explorer did not grow it");
                    }
                    offer(t, 2 * i + 1, parent);
                    return i;
                }
                key = (long) SLOT.getVolatile(t, 2 * i);
            }
            if (key == fp) {
                return offer(t, 2 * i + 1, parent) ? OPEN_STATE : CLOSED_STATE;
            }
        }
    }

    /**
     * Keeps the smaller parent of an open state; 0 is a slot whose inserter has not written its parent yet. Whether
     * the state is open.
     */
    private static boolean offer(long[] t, int at, long parent) {
        long want = OPEN | parent;
        while (true) {
            long cur = (long) SLOT.getVolatile(t, at);
            if (cur != 0 && (cur & OPEN) == 0) return false;  // closed: reached at an earlier level
            if (cur != 0 && cur <= want) return true;          // both open: compare the parents
            if (SLOT.compareAndSet(t, at, cur, want)) return true;
        }
    }

    /** Closes a state added during the level just finished: its parent is final. */
    void close(long fp) {
        close(fp, find(fp));
    }

    /** {@link #close(long)} given the slot {@link #add} gave, unless a grow has moved the fingerprint since. */
    void close(long fp, int slot) {
        if (slot >= table.length / 2 || table[2 * slot] != fp) slot = find(fp);
        int at = 2 * slot + 1;
        long cur = table[at];
        table[at] = cur == OPEN ? ROOT : cur & ~OPEN;
    }

    boolean contains(long fp) {
        long[] t = table;
        int m = mask;
        for (int i = slot(fp, m); ; i = (i + 1) & m) {
            long k = t[2 * i];
            if (k == fp) return true;
            if (k == 0) return false;
        }
    }

    private int find(long fp) {
        for (int i = slot(fp, mask); ; i = (i + 1) & mask) {
            if (table[2 * i] == fp) return i;
            if (table[2 * i] == 0) throw new IllegalStateException("fingerprint " + fp + " was never visited");
        }
    }

    /** The parent recorded for a fingerprint; 0 for the initial state. */
    long parent(long fp) {
        long p = table[2 * find(fp) + 1];
        return p == ROOT ? 0 : p & ~OPEN;
    }

    /** Doubles the table; no insert may run meanwhile. */
    void grow() {
        long[] old = table;
        long cap = 2L * (mask + 1);
        if (2 * cap > Integer.MAX_VALUE - 8) throw new IllegalStateException("visited set is full at " + size + " states");
        // Refuse before the JVM would throw OutOfMemoryError, with the figures a user needs to choose.
        long need = 16L * cap;
        long free = available.getAsLong();
        if (need > free) {
            throw new ScopeTooLargeException(size.get(), need, free);
        }
        long[] next = new long[(int) (2 * cap)];
        int m = (int) cap - 1;
        for (int j = 0; j < old.length; j += 2) {
            long fp = old[j];
            if (fp == 0) continue;
            int i = slot(fp, m);
            while (next[2 * i] != 0) i = (i + 1) & m;
            next[2 * i] = fp;
            next[2 * i + 1] = old[j + 1];
        }
        table = next;
        mask = m;
        limits();
    }
}
