package tlbcheck.explore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** A state reached several times in a level keeps what its arrivals agree on, in sets of more than 64 steps too. */
class SleepTableTest {

    @Test
    void aStateKeepsTheIntersectionOfItsArrivalsThroughGrowth() {
        SleepTable table = new SleepTable(1024, 2);
        table.arrive(42, new long[] {0b1110, 1L << 63 | 1}, 0);
        table.arrive(42, new long[] {9, 0b0111, 1L << 63 | 3}, 1);
        for (long fp = 100; fp < 700; fp++) {
            table.arrive(fp, new long[] {fp, fp}, 0);
            if (table.needsGrow()) table.grow();
        }
        long[] out = new long[3];
        table.sleep(42, out, 1);
        assertArrayEquals(new long[] {0, 0b0110, 1L << 63 | 1}, out);
        table.sleep(500, out, 0);
        assertArrayEquals(new long[] {500, 500, 1L << 63 | 1}, out);
        table.clear();
        assertThrows(IllegalStateException.class, () -> table.sleep(42, out, 0), "a state with no arrival has no set");
    }
}
