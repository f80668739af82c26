package tlbcheck.model.kernel;

import tlbcheck.model.Model;
import tlbcheck.model.Perm;
import tlbcheck.model.Pte;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/**
 * {@code hva_to_pfn}: translate the guest page through the process page table. It may sleep, so
 * anything can happen between this and the install; the frame is remembered in the procedure.
 */
public record KvmTranslate() implements Op {

    public static final KvmTranslate INSTANCE = new KvmTranslate();

    @Override
    public String name() {
        return "hva_to_pfn";
    }

    @Override
    public State apply(Model model, State state, int cpu, Running running) {
        Pte pte = state.pte(running.page());
        Running r = pte instanceof Pte.Valid v
                ? running.withNewFrame(v.frame()).withWrite(v.perm() == Perm.RW)
                : running.withNewFrame(-1);
        return state.withRunning(cpu, r.next());
    }
}
