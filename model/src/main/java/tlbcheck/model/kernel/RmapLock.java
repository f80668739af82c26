package tlbcheck.model.kernel;

import io.vavr.control.Option;
import tlbcheck.model.Locks;
import tlbcheck.model.Model;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/**
 * The rmap lock: {@code anon_vma_lock_read} / {@code i_mmap_lock_read} of an rmap walker (reclaim's
 * {@code try_to_unmap}), {@code take_rmap_locks} (write) of mremap when it must not race one, and their unlocks.
 */
public record RmapLock(boolean write, boolean take) implements Op {

    public static final RmapLock READ = new RmapLock(false, true);
    public static final RmapLock READ_UNLOCK = new RmapLock(false, false);
    public static final RmapLock WRITE = new RmapLock(true, true);
    public static final RmapLock WRITE_UNLOCK = new RmapLock(true, false);

    @Override
    public boolean bookkeeping() {
        return true;
    }

    @Override
    public String name() {
        return write ? take ? "take_rmap_locks (write)" : "drop_rmap_locks" : take ? "anon_vma_lock_read" : "anon_vma_unlock_read";
    }

    @Override
    public Option<String> refusal(Model model, State state, int cpu, Running running) {
        Locks l = state.locks();
        if (!take) return Option.none();
        if (l.rmapWriter()) return Option.some("the rmap lock is held for write");
        if (write && l.rmapReaders() > 0) return Option.some("the rmap lock is held for read");
        return Option.none();
    }

    @Override
    public boolean ready(Model model, State state, int cpu, Running running) {
        Locks l = state.locks();
        return !take || !l.rmapWriter() && (!write || l.rmapReaders() == 0);
    }

    @Override
    public State apply(Model model, State state, int cpu, Running running) {
        Locks l = state.locks();
        Locks next = write ? l.withRmap(l.rmapReaders(), take) : l.withRmap(l.rmapReaders() + (take ? 1 : -1), l.rmapWriter());
        return state.withLocks(next).withRunning(cpu, running.next());
    }
}
