package tlbcheck.explore;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A scope too large for memory is refused with the figures, before the JVM would throw OutOfMemoryError. */
class VisitedSetTest {

    @Test
    void growingPastTheMemoryLeftIsRefusedWithTheEstimate() {
        VisitedSet set = new VisitedSet(1024, () -> 64 * 1024);  // 64 KiB left: room for 4096 slots
        ScopeTooLargeException e = assertThrows(ScopeTooLargeException.class, () -> {
            for (long fp = 1; fp < 1_000_000; fp++) set.add(fp * 0x9E3779B97F4A7C15L | 1, 0);
        });
        assertTrue(e.getMessage().startsWith("scope too large to explore: at "), e.getMessage());
        assertTrue(e.getMessage().contains("-Dtlbcheck.depth") && e.getMessage().contains("bytes a state"), e.getMessage());
    }
}
