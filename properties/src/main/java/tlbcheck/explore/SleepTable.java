package tlbcheck.explore;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sleep sets of the states a level adds, while the level is expanded: a state reached several times in the level
 * keeps the intersection of the sets it was reached with ({@link Explorer}). Stored as the union of their complements,
 * so that an empty slot (0) is the neutral element and every arrival is one atomic or, whichever thread comes first.
 * Open addressing over one long array (a fingerprint and its word side by side), grown at half load between two
 * states like the visited set, and cleared for the next level.
 */
final class SleepTable {

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

    private long[] table;
    private int mask;
    private final AtomicLong size = new AtomicLong();

    SleepTable(int initialCapacity) {
        int cap = Integer.highestOneBit(Math.max(1024, initialCapacity) - 1) << 1;
        table = new long[2 * cap];
        mask = cap - 1;
    }

    private static int slot(long fp, int mask) {
        long h = fp * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 32) & mask;
    }

    /** Whether the table is past half load: the explorer's threads stop between two states, and it calls {@link #grow}. */
    boolean needsGrow() {
        return 2 * size.get() >= mask + 1;
    }

    /** Reads the first slot of each fingerprint, so that the cache misses of a state's successors overlap. */
    void touch(long[] fps, int n) {
        long[] t = table;
        int m = mask;
        long x = 0;
        for (int j = 0; j < n; j++) x ^= t[2 * slot(fps[j], m)];
        if (x == 42) touched = x;
    }

    /** What {@link #touch} read, kept so that the reads are not optimised away. */
    private volatile long touched;

    /** One more arrival at the state, with this sleep set. Safe against concurrent arrivals. */
    void arrive(long fp, long sleep) {
        long[] t = table;
        int m = mask;
        for (int i = slot(fp, m); ; i = (i + 1) & m) {
            long key = (long) SLOT.getVolatile(t, 2 * i);
            if (key == 0) {
                if (SLOT.compareAndSet(t, 2 * i, 0L, fp)) {
                    if (size.incrementAndGet() > mask) throw new IllegalStateException("sleep table full: it was not grown");
                    key = fp;
                } else {
                    key = (long) SLOT.getVolatile(t, 2 * i);
                }
            }
            if (key == fp) {
                SLOT.getAndBitwiseOr(t, 2 * i + 1, ~sleep);
                return;
            }
        }
    }

    /** The intersection of the sleep sets the state arrived with in this level; every arrival must be in. */
    long sleep(long fp) {
        for (int i = slot(fp, mask); ; i = (i + 1) & mask) {
            long key = table[2 * i];
            if (key == fp) return ~table[2 * i + 1];
            if (key == 0) throw new IllegalStateException("state " + fp + " arrived with no sleep set");
        }
    }

    /** Doubles the table; no arrival may run meanwhile. */
    void grow() {
        long[] old = table;
        int m = 2 * (mask + 1) - 1;
        long[] next = new long[2 * (m + 1)];
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
    }

    /** Empties the table for the next level. */
    void clear() {
        java.util.Arrays.fill(table, 0L);
        size.set(0);
    }

    long bytes() {
        return 8L * table.length;
    }
}
