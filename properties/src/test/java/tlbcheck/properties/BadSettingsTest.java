package tlbcheck.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A bad -D value is one line naming the property, the value and what it accepts, before any property runs. */
class BadSettingsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "tlbcheck.seed|12x|a whole number",
            "tlbcheck.tries|0|1 or more",
            "tlbcheck.seconds|-3|above 0",
            "tlbcheck.scope|9,1,1,1|outside 1..4",
            "tlbcheck.variant|V99|unknown variant 'V99'",
            "tlbcheck.invariant|no-such-rule|unknown invariant 'no-such-rule'"})
    void oneLine(String key, String value, String says) {
        String old = System.getProperty(key);
        System.setProperty(key, value);
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, HuntSettings::validate);
            assertTrue(e.getMessage().startsWith("-D" + key + "=" + value + " is not accepted; it takes "), e.getMessage());
            assertTrue(e.getMessage().contains(says), e.getMessage());
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
            // The factory of every property fails on it once, so no property (hunt or exhaustive) runs.
            assertThrows(IllegalArgumentException.class, () -> new HuntPropertiesTest().properties());
        } finally {
            if (old == null) System.clearProperty(key); else System.setProperty(key, old);
        }
    }
}
