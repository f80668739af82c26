package tlbcheck.model.kernel;

import io.vavr.control.Option;
import tlbcheck.model.Locks;
import tlbcheck.model.Model;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/** {@code mmap_read_lock} / {@code mmap_write_lock}. */
public record MmapLock(boolean write) implements Op {

    public static final MmapLock READ = new MmapLock(false);
    public static final MmapLock WRITE = new MmapLock(true);

    @Override
    public boolean bookkeeping() {
        return true;
    }

    @Override
    public String name() {
        return write ? "mmap_write_lock" : "mmap_read_lock";
    }

    @Override
    public Option<String> refusal(Model model, State state, int cpu, Running running) {
        Locks l = state.locks();
        if (l.mmapWriter()) {
            return Option.some("the mmap lock is held for write");
        }
        if (write && l.mmapReaders() > 0) {
            return Option.some("the mmap lock is held for read");
        }
        return Option.none();
    }

    @Override
    public boolean ready(Model model, State state, int cpu, Running running) {
        Locks l = state.locks();
        return !l.mmapWriter() && (!write || l.mmapReaders() == 0);
    }

    @Override
    public State apply(Model model, State state, int cpu, Running running) {
        Locks l = state.locks();
        Locks next = write ? l.withMmapWriter(true) : l.withMmapReaders(l.mmapReaders() + 1);
        return state.withLocks(next).withRunning(cpu, running.next());
    }
}
