package tlbcheck.explore;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * A scope too large for memory is refused with the figures, before the JVM would throw
 * OutOfMemoryError; a reader racing the writer's growth never fails.
 */
class VisitedSetTest {

    /**
     * The explorer merges finished chunks while others still call {@code contains}. A reader that
     * paired the new mask with the old array indexed past it (a CI run failed so, on two cores). Here
     * a reader probes all the time while the writer grows the table from 1024 to 2^22 slots; every
     * key the reader sees as present was added, and none of its probes may throw. A stress test: it
     * cannot force the one bad interleaving, so a pass is evidence, not proof; the proof is that
     * {@code contains} reads the table once.
     */
    @Test
    void readersRacingGrowthNeverFailAndNeverInventKeys() throws Exception {
        VisitedSet set = new VisitedSet(1024);
        int n = 1_500_000;
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicLong falsePositives = new java.util.concurrent.atomic.AtomicLong();
        Thread reader = new Thread(() -> {
            try {
                for (long r = 1; !done.get(); r++) {
                    long i = r % n + 1;
                    set.contains(mix(i));
                    if (set.contains(mix(i) - 1)) falsePositives.incrementAndGet();
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        reader.start();
        for (long i = 1; i <= n; i++) set.add(mix(i), i);
        done.set(true);
        reader.join();
        if (failure.get() != null) throw new AssertionError("a reader failed while the table grew", failure.get());
        org.junit.jupiter.api.Assertions.assertEquals(0, falsePositives.get());
        org.junit.jupiter.api.Assertions.assertEquals(n, set.size());
        for (long i = 1; i <= n; i++) assertTrue(set.contains(mix(i)));
    }

    /** Distinct, well spread odd keys for distinct small i; {@code mix(i) - 1} is even, so never added. */
    private static long mix(long i) {
        return (i * 0x9E3779B97F4A7C15L) << 1 | 1;
    }

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
