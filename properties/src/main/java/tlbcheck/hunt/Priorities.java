package tlbcheck.hunt;

import io.vavr.control.Option;
import java.util.SplittableRandom;
import tlbcheck.model.Model;
import tlbcheck.model.State;
import tlbcheck.model.step.Step;

/**
 * One walk's order of the CPUs, as PCT schedules threads (Burckhardt et al., "A randomized scheduler with
 * probabilistic guarantees of finding bugs", ASPLOS 2010): when the walk advances a procedure, it advances the CPU
 * highest in a random order that can move, and at a few random steps of the walk the CPU first in the order drops to
 * last. So one procedure runs whole inside another's window, from the step the first is preempted at. A uniform
 * choice of CPU at every step reaches such a run with odds halved at each of its steps: the 28-step mremap race of
 * CVE-2018-18281 needs a 10-step truncate between two of move_ptes' steps. Hardware steps keep their random mix.
 * It counts the walk's steps, so it serves one walk.
 */
final class Priorities {

    /** Preemptions per walk at most: each is one more procedure run whole inside another's window. */
    static final int MAX_CHANGES = 3;

    private final int[] order;
    private final int[] changes;
    private int taken;
    private int changed;

    private Priorities(int[] order, int[] changes) {
        this.order = order;
        this.changes = changes;
    }

    /** A random order of the CPUs and 1 to {@link #MAX_CHANGES} change points among the walk's first {@code length} steps. */
    static Priorities draw(int cpus, int length, SplittableRandom random) {
        int[] order = new int[cpus];
        for (int c = 0; c < cpus; c++) order[c] = c;
        for (int c = cpus - 1; c > 0; c--) {
            int k = random.nextInt(c + 1);
            int t = order[c];
            order[c] = order[k];
            order[k] = t;
        }
        int[] changes = new int[1 + random.nextInt(MAX_CHANGES)];
        for (int i = 0; i < changes.length; i++) changes[i] = random.nextInt(length);
        java.util.Arrays.sort(changes);
        return new Priorities(order, changes);
    }

    /** Counts one step of the walk, first dropping the leading CPU to last at each change point it reaches. */
    void step() {
        while (changed < changes.length && changes[changed] <= taken) {
            int first = order[0];
            System.arraycopy(order, 1, order, 0, order.length - 1);
            order[order.length - 1] = first;
            changed++;
        }
        taken++;
    }

    /** The advance of the first CPU in the order that can move ({@code advances[c]} is CPU c's), if any can. */
    Option<Step> advance(Model model, State state, Step[] advances) {
        for (int cpu : order) {
            if (advances[cpu].enabled(model, state)) return Option.some(advances[cpu]);
        }
        return Option.none();
    }

    /** The steps, counted from 0, before which the first CPU drops to last: for tests. */
    int[] changePoints() {
        return changes.clone();
    }

    /** The CPUs, highest priority first: for tests. */
    int[] order() {
        return order.clone();
    }
}
