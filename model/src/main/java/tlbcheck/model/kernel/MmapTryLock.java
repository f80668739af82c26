package tlbcheck.model.kernel;

import tlbcheck.model.Model;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/**
 * {@code mmap_write_trylock} / {@code mmap_read_trylock}: takes the mmap lock if it is free, and otherwise gives up,
 * as khugepaged does, where {@link MmapLock} would wait: the procedure returns at once, having done nothing. Put it
 * where the procedure holds no lock yet (first, as khugepaged does), since giving up releases nothing.
 */
public record MmapTryLock(boolean write) implements Op {

    public static final MmapTryLock READ = new MmapTryLock(false);
    public static final MmapTryLock WRITE = new MmapTryLock(true);

    @Override
    public boolean bookkeeping() {
        return true;
    }

    @Override
    public String name() {
        return write ? "mmap_write_trylock" : "mmap_read_trylock";
    }

    @Override
    public String skipReason(Model model, State state, int cpu, Running running) {
        return (state.locks().mmapWriter() ? "the mmap lock is held for write" : "the mmap lock is held for read")
                + ": gives up";
    }

    /** The lock it tries: taken as that lock takes it, when that lock would not wait. */
    private MmapLock lock() {
        return write ? MmapLock.WRITE : MmapLock.READ;
    }

    @Override
    public State apply(Model model, State state, int cpu, Running running) {
        if (!lock().ready(model, state, cpu, running)) {
            int left = model.kernel().procedure(running.procedure()).length() - running.pc();
            return state.withRunning(cpu, running.jump(left));
        }
        return lock().apply(model, state, cpu, running);
    }
}
