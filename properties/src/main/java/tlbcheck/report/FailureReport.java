package tlbcheck.report;

import tlbcheck.hunt.HuntResult;
import tlbcheck.hunt.Shortest;
import tlbcheck.hunt.Shrinker;

/**
 * The text a failing property prints, for a user's own tests as for the project's: the shrunk
 * counterexample as lanes, its violation and the offending state, and the line that reruns it
 * ({@code mvn verify -Dtlbcheck.seed=... -Dtlbcheck.variant=NAME -Dtlbcheck.invariant=NAME}).
 */
public final class FailureReport {

    private FailureReport() {}

    public static String of(HuntResult r) {
        Shrinker.Result s = r.shrunk().get();
        String variant = r.model().variant().name();
        return "seed " + r.seed() + " (try " + r.firstViolationTry() + "), walk of " + r.walk().size()
                + " steps shrunk to " + s.steps().size() + (s.timedOut() ? " (shrinking stopped at its budget)" : "")
                + (s.shortest().equals(Shortest.NOT_SEARCHED) ? "" : ", " + s.shortest()) + "\n"
                + Lanes.render(r.model(), s.steps())
                + s.violation() + "\n  state: " + s.violation().evidence() + "\n"
                + "rerun: mvn verify -Dtlbcheck.seed=" + r.seed() + " -Dtlbcheck.variant=" + variant
                +  " -Dtlbcheck.invariant=" + r.invariant().name() + "\n";
    }
}
