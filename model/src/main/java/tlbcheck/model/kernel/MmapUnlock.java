package tlbcheck.model.kernel;

import tlbcheck.model.Locks;
import tlbcheck.model.Model;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/** {@code mmap_read_unlock} / {@code mmap_write_unlock}. */
public record MmapUnlock(boolean write) implements Op {

    public static final MmapUnlock READ = new MmapUnlock(false);
    public static final MmapUnlock WRITE = new MmapUnlock(true);

    @Override
    public boolean bookkeeping() {
        return true;
    }

    @Override
    public String name() {
        return write ? "mmap_write_unlock" : "mmap_read_unlock";
    }

    @Override
    public State apply(Model model, State state, int cpu, Running running) {
        Locks l = state.locks();
        Locks next = write ? l.withMmapWriter(false) : l.withMmapReaders(l.mmapReaders() - 1);
        return state.withLocks(next).withRunning(cpu, running.next());
    }
}
