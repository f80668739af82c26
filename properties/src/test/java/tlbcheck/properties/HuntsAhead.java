package tlbcheck.properties;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import tlbcheck.hunt.HuntResult;

/**
 * The hunts of a run's rows, started ahead of the tests that judge them: while the test of row k waits for its
 * hunt, or explores its row, the hunts of the next rows run on the machine's other cores. A hunt is seeded by its
 * row and bounded by counts, so its result does not depend on what runs beside it; the judging, the printing and
 * the verdict matrix stay in the tests' own thread and order. Only a few rows ahead are started, so a run that
 * selects a few tests by id starts few hunts it does not need.
 */
final class HuntsAhead {

    private final int rows;
    private final int ahead;
    private final IntFunction<HuntResult> hunt;
    private final ExecutorService pool;
    private final Map<Integer, Future<HuntResult>> started = new HashMap<>();

    HuntsAhead(int rows, int threads, IntFunction<HuntResult> hunt) {
        this.rows = rows;
        this.ahead = threads;
        this.hunt = hunt;
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "hunt");
            t.setDaemon(true);
            return t;
        });
    }

    /** Row k's hunt, waited for; the hunts of the rows after it are started first. */
    HuntResult result(int k) {
        Future<HuntResult> mine;
        synchronized (this) {
            for (int j = k; j < Math.min(rows, k + ahead); j++) {
                int row = j;
                started.computeIfAbsent(row, i -> pool.submit(() -> hunt.apply(row)));
            }
            mine = started.remove(k);
        }
        try {
            return mine.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the hunt of row " + (k + 1), e);
        }
    }
}
