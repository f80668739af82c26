package tlbcheck.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import tlbcheck.hunt.Hunt;
import tlbcheck.hunt.HuntConfig;
import tlbcheck.hunt.HuntResult;
import tlbcheck.model.Model;
import tlbcheck.model.Variants;
import tlbcheck.model.invariant.NoStaleSecondaryTlb;

/** A default-build row the clock stopped, not its counts, fails: its verdict would depend on the machine's load. */
class CountBoundedTest {

    @Test
    void aHuntTheSafetyNetStoppedIsRefusedAndOneItsTriesStoppedIsNot() {
        // V5 holds invariant 1; a safety net of one nanosecond stops its hunt before the first walk.
        HuntConfig netOnly = new HuntConfig(3, 50, 100, 1e-9, 60, true, 0);
        HuntResult stopped = Hunt.run(new Model(Variants.V5), NoStaleSecondaryTlb.INSTANCE, netOnly);
        assertEquals("time", stopped.stoppedBy());
        String why = HuntPropertiesTest.clockStopped(stopped, netOnly).get();
        assertTrue(why.startsWith("V5-arch-invalidate-secondary-tlbs / no-stale-secondary-tlb: the 0.000000001 s safety net"
                + " stopped the hunt after 0 of 50 tries (stoppedBy: time)"), why);

        HuntConfig counted = netOnly.withTries(50);
        HuntResult done = Hunt.run(new Model(Variants.V5), NoStaleSecondaryTlb.INSTANCE,
                new HuntConfig(3, 50, 100, 600, 60, true, 0));
        assertEquals("tries", done.stoppedBy());
        assertTrue(HuntPropertiesTest.clockStopped(done, counted).isEmpty());
    }
}
