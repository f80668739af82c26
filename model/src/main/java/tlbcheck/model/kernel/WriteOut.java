package tlbcheck.model.kernel;

import tlbcheck.model.Model;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/**
 * Reclaim's {@code pageout}: the frames this procedure unmapped are written out, to swap or to their file, and from
 * then on their contents are the disk's. A write that still reaches one of them, through a TLB entry a batched flush
 * left, changes memory that is about to be freed as clean: the write is lost (invariant 9). That is why
 * {@code shrink_folio_list} calls {@code try_to_unmap_flush_dirty} before {@code pageout} when it deferred the flush
 * of a dirty page's writable entries (d950c9477d51, "mm: defer flush of writable TLB entries").
 */
public record WriteOut() implements Op {

    public static final WriteOut INSTANCE = new WriteOut();

    @Override
    public String name() {
        return "pageout (write the page out)";
    }

    @Override
    public String skipReason(Model model, State state, int cpu, Running running) {
        return "no frame was unmapped";
    }

    @Override
    public State apply(Model model, State state, int cpu, Running running) {
        return state.withRunning(cpu, running.oldFrames() == 0 ? running.next() : running.afterWriteOut().next());
    }
}
