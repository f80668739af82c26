package tlbcheck.explore;

/**
 * The explorer's visited set: state fingerprints, each with the fingerprint of the state it was
 * first reached from (for rebuilding traces). Open addressing over two long arrays, 16 bytes a slot,
 * grown at 3/4 load. One thread writes (the explorer merges a level's chunks as they finish) while
 * the other chunks still read: {@link #contains} takes one snapshot of the key array and derives its
 * mask from that array's length, and {@link #grow} publishes a table only once it is filled. A
 * reader may therefore miss a fingerprint added meanwhile (the writer's {@code add} rejects the
 * duplicate), but never indexes past a table or sees a key that was not added.
 */
final class VisitedSet {

    private static final double MAX_LOAD = 0.75;

    private long[] keys;
    private long[] parents;
    private int mask;
    private long size;

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
        keys = new long[cap];
        parents = new long[cap];
        mask = cap - 1;
    }

    long size() {
        return size;
    }

    long bytes() {
        return 16L * keys.length;
    }

    private static int slot(long fp, int mask) {
        return (int) (fp ^ (fp >>> 32)) & mask;
    }

    boolean contains(long fp) {
        long[] table = keys;
        int m = table.length - 1;
        for (int i = slot(fp, m); ; i = (i + 1) & m) {
            long k = table[i];
            if (k == fp) return true;
            if (k == 0) return false;
        }
    }

    /** The parent recorded for a fingerprint; 0 for the initial state. */
    long parent(long fp) {
        for (int i = slot(fp, mask); ; i = (i + 1) & mask) {
            if (keys[i] == fp) return parents[i];
            if (keys[i] == 0) throw new IllegalStateException("fingerprint " + fp + " was never visited");
        }
    }

    /** Adds a fingerprint; false if it was there already. */
    boolean add(long fp, long parent) {
        if (size + 1 > MAX_LOAD * keys.length) grow();
        for (int i = slot(fp, mask); ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == fp) return false;
            if (k == 0) {
                keys[i] = fp;
                parents[i] = parent;
                size++;
                return true;
            }
        }
    }

    private void grow() {
        long[] oldKeys = keys;
        long[] oldParents = parents;
        int cap = keys.length * 2;
        if (cap <= 0) throw new IllegalStateException("visited set is full at " + size + " states");
        // Refuse before the JVM would throw OutOfMemoryError, with the figures a user needs to choose.
        long need = 16L * cap;
        long free = available.getAsLong();
        if (need > free) {
            throw new ScopeTooLargeException(size, need, free);
        }
        long[] newKeys = new long[cap];
        long[] newParents = new long[cap];
        int newMask = cap - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            long fp = oldKeys[j];
            if (fp == 0) continue;
            int i = slot(fp, newMask);
            while (newKeys[i] != 0) i = (i + 1) & newMask;
            newKeys[i] = fp;
            newParents[i] = oldParents[j];
        }
        parents = newParents;
        mask = newMask;
        keys = newKeys;
    }
}
