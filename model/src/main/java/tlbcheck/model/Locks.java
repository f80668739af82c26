package tlbcheck.model;

import io.vavr.collection.Array;

/**
 * The kernel locks that serialise procedures: the mmap lock (a reader-writer lock) and one
 * page-table lock per page. Hardware takes no lock.
 */
public record Locks(int mmapReaders, boolean mmapWriter, Array<Boolean> ptl) {

    public static Locks free(int pages) {
        return new Locks(0, false, Array.fill(pages, Boolean.FALSE));
    }

    public boolean ptlHeld(int page) {
        return ptl.get(page);
    }

    public Locks withPtl(int page, boolean held) {
        return new Locks(mmapReaders, mmapWriter, ptl.update(page, held));
    }

    public Locks withMmapReaders(int readers) {
        return new Locks(readers, mmapWriter, ptl);
    }

    public Locks withMmapWriter(boolean writer) {
        return new Locks(mmapReaders, writer, ptl);
    }
}
