package tlbcheck.explore;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sleep sets of the states a level adds, while the level is expanded: a state reached several times in the level
 * keeps the intersection of the sets it was reached with ({@link Explorer}). Stored as the union of their complements,
 * so that an empty slot (0) is the neutral element and every arrival is one atomic or, whichever thread comes first.
 * Open addressing over one long array (a fingerprint and the words of its set side by side), grown at half load
 * between two states like the visited set, and cleared for the next level.
 */
final class SleepTable {

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

    private long[] table;
    private int mask;
    /** Longs of a set, and of a slot (the fingerprint first). */
    private final int words;
    private final int stride;
    private final AtomicLong size = new AtomicLong();

    SleepTable(int initialCapacity, int words) {
        int cap = Integer.highestOneBit(Math.max(1024, initialCapacity) - 1) << 1;
        this.words = words;
        this.stride = words + 1;
        table = new long[stride * cap];
        mask = cap - 1;
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
        for (int j = 0; j < n; j++) x ^= t[stride * VisitedSet.slot(fps[j], m)];
        if (x == 42) touched = x;
    }

    /** What {@link #touch} read, kept so that the reads are not optimised away. */
    private volatile long touched;

    /** One more arrival at the state, with the sleep set in {@code sets} from {@code at}. Safe against concurrent arrivals. */
    void arrive(long fp, long[] sets, int at) {
        long[] t = table;
        int m = mask;
        for (int i = VisitedSet.slot(fp, m); ; i = (i + 1) & m) {
            long key = (long) SLOT.getVolatile(t, stride * i);
            if (key == 0) {
                if (SLOT.compareAndSet(t, stride * i, 0L, fp)) {
                    if (size.incrementAndGet() > mask) throw new IllegalStateException("sleep table full: it was not grown");
                    key = fp;
                } else {
                    key = (long) SLOT.getVolatile(t, stride * i);
                }
            }
            if (key == fp) {
                for (int w = 0; w < words; w++) SLOT.getAndBitwiseOr(t, stride * i + 1 + w, ~sets[at + w]);
                return;
            }
        }
    }

    /**
     * Writes into {@code out} from {@code at} the intersection of the sleep sets the state arrived with in this level;
     * every arrival must be in.
     */
    void sleep(long fp, long[] out, int at) {
        for (int i = VisitedSet.slot(fp, mask); ; i = (i + 1) & mask) {
            long key = table[stride * i];
            if (key == fp) {
                for (int w = 0; w < words; w++) out[at + w] = ~table[stride * i + 1 + w];
                return;
            }
            if (key == 0) throw new IllegalStateException("state " + fp + " arrived with no sleep set");
        }
    }

    /** Doubles the table; no arrival may run meanwhile. */
    void grow() {
        long[] old = table;
        int m = 2 * (mask + 1) - 1;
        long[] next = new long[stride * (m + 1)];
        for (int j = 0; j < old.length; j += stride) {
            long fp = old[j];
            if (fp == 0) continue;
            int i = VisitedSet.slot(fp, m);
            while (next[stride * i] != 0) i = (i + 1) & m;
            System.arraycopy(old, j, next, stride * i, stride);
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
