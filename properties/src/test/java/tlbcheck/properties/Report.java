package tlbcheck.properties;

import tlbcheck.hunt.HuntResult;
import tlbcheck.hunt.Shrinker;
import tlbcheck.report.Lanes;

/** The text a failing property prints: the shrunk counterexample as lanes, its violation and its seed. */
final class Report {

    private Report() {}

    static String failure(HuntResult r) {
        Shrinker.Result s = r.shrunk().get();
        String variant = r.model().variant().name();
        return "seed " + r.seed() + " (try " + r.firstViolationTry() + "), walk of " + r.walk().size()
                + " steps shrunk to " + s.steps().size() + (s.timedOut() ? " (shrinking hit its time bound)" : "") + "\n"
                + Lanes.render(r.model(), s.steps())
                + s.violation() + "\n  state: " + s.violation().evidence() + "\n"
                + "rerun: mvn verify -Dtlbcheck.seed=" + r.seed() + " -Dtlbcheck.variant=" + variant
                +  " -Dtlbcheck.invariant=" + r.invariant().name() + "\n";
    }
}
