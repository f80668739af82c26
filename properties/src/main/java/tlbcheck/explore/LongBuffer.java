package tlbcheck.explore;

/** A growable array of longs: the explorer's frontiers and per-chunk results, without boxing. */
final class LongBuffer {

    private long[] data = new long[256];
    private int size;

    void add(long v) {
        if (size == data.length) data = java.util.Arrays.copyOf(data, data.length * 2);
        data[size++] = v;
    }

    void add(long[] src, int offset, int n) {
        while (size + n > data.length) data = java.util.Arrays.copyOf(data, data.length * 2);
        System.arraycopy(src, offset, data, size, n);
        size += n;
    }

    /** Empties the buffer, keeping its array for the next level. */
    LongBuffer clear() {
        size = 0;
        return this;
    }

    int size() {
        return size;
    }

    int capacity() {
        return data.length;
    }

    long[] array() {
        return data;
    }
}
