package tlbcheck.model.kernel;

import tlbcheck.model.Model;
import tlbcheck.model.Perm;
import tlbcheck.model.Pte;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/**
 * {@code do_anonymous_page} under the page-table lock, on a pte_none: map the frame allocated before
 * the lock, writable for a write fault. It never waits under the lock: without a frame it maps
 * nothing, and the access faults again.
 */
public record MapNewFrame() implements Op {

    public static final MapNewFrame INSTANCE = new MapNewFrame();

    @Override
    public String name() {
        return "set PTE to new frame";
    }

    @Override
    public boolean resolvesFault() {
        return true;
    }

    @Override
    public State apply(Model model, State state, int cpu, Running running) {
        int frame = running.newFrame();
        State s = state;
        if (frame < 0) {
            frame = s.nextFreeFrame();
            if (frame < 0) return s.withRunning(cpu, running.next());
            s = s.withFrame(frame, true);
        }
        Pte mapped = Pte.valid(frame, running.write() ? Perm.RW : Perm.RO);
        return s.withPte(running.page(), mapped)
                .withRunning(cpu, running.wrote().owes(s.tlbsMadeStale(running.page(), s.pte(running.page()), mapped)).withNewFrame(frame).next());
    }
}
