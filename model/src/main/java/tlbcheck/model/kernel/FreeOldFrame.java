package tlbcheck.model.kernel;

import tlbcheck.model.Model;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/**
 * {@code put_page} of the frames this procedure unmapped (one per page of its range), in the order it unmapped
 * them: each is freed, and may be reused, when nothing else holds it: no PTE maps it ({@code page_mapcount}: an
 * alias of it may still) and no other procedure in flight still holds the reference its own unmap took (an
 * {@code mmu_gather} keeps its pages until its flush is done).
 */
public record FreeOldFrame() implements Op {

    public static final FreeOldFrame INSTANCE = new FreeOldFrame();

    @Override
    public String name() {
        return "free old frame";
    }

    @Override
    public String skipReason(Model model, State state, int cpu, Running running) {
        if (running.oldFrames() == 0) return "no frame was unmapped";
        StringBuilder why = new StringBuilder();
        for (int f : running.oldFrameList()) {
            if (why.length() > 0) why.append("; ");
            why.append('f').append(f).append(state.mapcount(f) > 0 ? " is still mapped (an alias)" : " is still held by another unmap");
        }
        return why.toString();
    }

    @Override
    public State apply(Model model, State state, int cpu, Running running) {
        State s = state;
        // In the order unmapped (by address): the last one freed is the first a later allocation takes.
        for (int f : running.oldFrameList()) {
            if (state.mapcount(f) == 0 && !state.heldElsewhere(f, cpu)) s = s.withFrame(f, false);
        }
        return s.withRunning(cpu, running.withoutOldFrames().next());
    }
}
