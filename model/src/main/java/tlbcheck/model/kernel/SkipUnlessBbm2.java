package tlbcheck.model.kernel;

import tlbcheck.model.Model;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/** {@code if (stage2_has_bbm_level2())}: runs the next {@code skip} ops only on FEAT_BBM level 2 hardware. */
public record SkipUnlessBbm2(int skip) implements Op {

    @Override
    public boolean bookkeeping() {
        return true;
    }

    @Override
    public String name() {
        return "check FEAT_BBM level 2";
    }

    @Override
    public boolean silent() {
        return true;
    }

    @Override
    public String skipReason(Model model, State state, int cpu, Running running) {
        return "no FEAT_BBM level 2";
    }

    @Override
    public State apply(Model model, State state, int cpu, Running running) {
        return state.withRunning(cpu, running.jump(model.platform().bbm2() ? 1 : 1 + skip));
    }
}
