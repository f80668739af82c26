package tlbcheck.properties;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import tlbcheck.hunt.Hunt;
import tlbcheck.hunt.HuntConfig;
import tlbcheck.hunt.HuntResult;
import tlbcheck.model.Model;
import tlbcheck.model.invariant.NoStaleAccessAfterRestriction;
import tlbcheck.model.invariant.NoUseAfterFree;

/**
 * Walks that schedule procedures by priority find the race a uniform choice of CPU rarely reaches: CVE-2018-18281's
 * truncate run whole between mremap's {@code move_ptes} and its flush, 28 steps in a fixed order. With the seeds of
 * the build's own rows, uniform walks first find it at tries 16,174 (invariant 2) and 55,267 (invariant 3), and the
 * hunt with priorities at tries 1,096 and 543: here 2,000 tries of each, the same seeds.
 */
class PrioritisedWalksTest {

    private static HuntConfig rowConfig(String invariant) {
        long seed = com.google.common.hash.Hashing.murmur3_128().hashString(MremapMovePtesFlush.BUG.name() + "/"
                + invariant, java.nio.charset.StandardCharsets.UTF_8).asLong();
        return new HuntConfig(seed, 2_000, 200, 120, 60, true, 0);
    }

    @Test
    void priorityWalksFindTheMremapRaceThatUniformWalksMiss() {
        Model model = new Model(MremapMovePtesFlush.BUG);
        for (var invariant : java.util.List.of(NoStaleAccessAfterRestriction.INSTANCE, NoUseAfterFree.INSTANCE)) {
            HuntConfig config = rowConfig(invariant.name());
            HuntResult with = Hunt.search(model, invariant, config);
            HuntResult without = Hunt.search(model, invariant, config.withoutPct());
            assertTrue(with.violated(), invariant.name() + ": " + with.tries() + " walks with priorities found nothing");
            assertFalse(without.violated(), invariant.name() + ": uniform walks found it at try "
                    + without.firstViolationTry() + "; this test no longer shows what priorities add");
        }
    }
}
