package tlbcheck.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Threads insert into the visited set at once, and what it records does not depend on who came first: every key
 * once, and for a key added during a level the smallest parent offered; a closed key keeps its parent. A scope
 * too large for memory is refused with the figures, before the JVM would throw OutOfMemoryError.
 */
class VisitedSetTest {

    /**
     * A key met again says whether it was added in this level (its sleep set is still being intersected) or in an
     * earlier one (the explorer ignores that arrival).
     */
    @Test
    void aKeyMetAgainSaysWhetherItsLevelIsOpen() {
        VisitedSet set = new VisitedSet(1024);
        set.addRoot(7);
        assertTrue(set.add(11, 7) >= 0);
        assertEquals(VisitedSet.OPEN_STATE, set.add(11, 5));
        assertEquals(VisitedSet.CLOSED_STATE, set.add(7, 11));
        set.close(11);
        assertEquals(VisitedSet.CLOSED_STATE, set.add(11, 3));
        assertEquals(5, set.parent(11));
    }

    /**
     * Four threads insert the same keys in different orders, each key with a parent that depends on the thread,
     * growing the table between rounds as the explorer does; then every key has the smallest of the four parents.
     * Then the keys are closed and offered a smaller parent again, which they refuse. A stress test: a pass is
     * evidence the compare-and-set loops keep the minimum, not proof.
     */
    @Test
    void concurrentInsertsKeepEveryKeyOnceWithTheSmallestParent() throws Exception {
        VisitedSet set = new VisitedSet(1024);
        int n = 400_000;
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            java.util.concurrent.atomic.AtomicLong added = new java.util.concurrent.atomic.AtomicLong();
            int[] next = new int[threads];
            while (true) {
                List<Future<Void>> fs = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int me = t;
                    Callable<Void> c = () -> {
                        while (!set.needsGrow() && next[me] < n) {
                            int j = next[me]++;
                            long i = (me % 2 == 0 ? j : n - 1 - j) + 1L;  // half the threads go backwards
                            if (set.insert(mix(i), parentOf(i, me))) added.incrementAndGet();
                        }
                        return null;
                    };
                    fs.add(pool.submit(c));
                }
                for (Future<Void> f : fs) f.get();
                boolean done = true;
                for (int t = 0; t < threads; t++) done &= next[t] == n;
                if (done) break;
                set.grow();
            }
            assertEquals(n, added.get(), "each key is new to exactly one insert");
            assertEquals(n, set.size());
            for (long i = 1; i <= n; i++) {
                long min = Long.MAX_VALUE;
                for (int t = 0; t < threads; t++) min = Math.min(min, parentOf(i, t));
                assertEquals(min, set.parent(mix(i)), "key " + i);
            }
            for (long i = 1; i <= n; i++) set.close(mix(i));
            for (long i = 1; i <= n; i++) assertFalse(set.insert(mix(i), 1));
            for (long i = 1; i <= n; i += 997) assertTrue(set.parent(mix(i)) > 1, "a closed key keeps its parent");
            assertFalse(set.contains(mix(n + 1)));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theInitialStateHasNoParentAndKeepsIt() {
        VisitedSet set = new VisitedSet(1024);
        set.addRoot(mix(1));
        assertFalse(set.insert(mix(1), 5));
        assertEquals(0, set.parent(mix(1)));
    }

    /** Distinct, well spread 62-bit keys for distinct small i: fingerprints are 63-bit and never Long.MAX_VALUE. */
    private static long mix(long i) {
        return (i * 0x9E3779B97F4A7C15L) >>> 2 | 1;
    }

    /** A parent per (key, thread), different for every thread and never 0. */
    private static long parentOf(long i, int thread) {
        return ((i * 31 + thread * 0x5DEECE66DL) * 0xBF58476D1CE4E5B9L) >>> 2 | 2;
    }

    @Test
    void growingPastTheMemoryLeftIsRefusedWithTheEstimate() {
        VisitedSet set = new VisitedSet(1024, () -> 64 * 1024);  // 64 KiB left: room for 4096 slots
        ScopeTooLargeException e = assertThrows(ScopeTooLargeException.class, () -> {
            for (long fp = 1; fp < 1_000_000; fp++) {
                if (set.needsGrow()) set.grow();
                set.insert((fp * 0x9E3779B97F4A7C15L) >>> 1 | 1, 2);
            }
        });
        assertTrue(e.getMessage().startsWith("scope too large to explore: at "), e.getMessage());
        assertTrue(e.getMessage().contains("-Dtlbcheck.depth") && e.getMessage().contains("bytes a state"), e.getMessage());
    }
}
