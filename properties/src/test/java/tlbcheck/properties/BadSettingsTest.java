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

    /** A catalogue's huntTries sets a pair's walks, and -Dtlbcheck.tries, which a user sets by hand, overrides it. */
    @org.junit.jupiter.api.Test
    void aCataloguesHuntTriesSetsThePairsWalksUnlessTheCommandLineDoes() {
        tlbcheck.model.Catalogue owner = new tlbcheck.model.Catalogue() {
            @Override public String name() { return "long-walks"; }
            @Override public io.vavr.collection.Array<tlbcheck.model.Variant> variants() {
                return io.vavr.collection.Array.of(tlbcheck.model.Variants.V1);
            }
            @Override public io.vavr.control.Option<String> expected(tlbcheck.model.Variant v,
                                                                     tlbcheck.model.invariant.Invariant i) {
                return io.vavr.control.Option.some(Expected.VIOLATES);
            }
            @Override public io.vavr.control.Option<Integer> huntTries(tlbcheck.model.Variant v,
                                                                       tlbcheck.model.invariant.Invariant i) {
                return i.number() == 4 ? io.vavr.control.Option.some(60_000) : io.vavr.control.Option.none();
            }
        };
        var variant = tlbcheck.model.Variants.V1;
        var progress = tlbcheck.model.invariant.ForwardProgress.INSTANCE;
        var other = tlbcheck.model.invariant.NoStaleSecondaryTlb.INSTANCE;
        String old = System.getProperty("tlbcheck.tries");
        System.clearProperty("tlbcheck.tries");
        try {
            assertEquals(60_000, HuntSettings.config(io.vavr.control.Option.some(owner), variant, progress).tries());
            assertEquals(10_000, HuntSettings.config(io.vavr.control.Option.some(owner), variant, other).tries());
            System.setProperty("tlbcheck.tries", "500");
            assertEquals(500, HuntSettings.config(io.vavr.control.Option.some(owner), variant, progress).tries());
        } finally {
            if (old == null) System.clearProperty("tlbcheck.tries"); else System.setProperty("tlbcheck.tries", old);
        }
    }

    /**
     * A row expected to hold, whose hunting scope exhaustive search explores in the same build, walks only
     * {@link HuntSettings#CROSS_CHECK_TRIES}; a row expected to violate, or hunted in a larger scope than the search's,
     * walks the default.
     */
    @org.junit.jupiter.api.Test
    void aHoldingRowThatExhaustiveSearchCoversIsHuntedAsACrossCheck() {
        String old = System.getProperty("tlbcheck.tries");
        System.clearProperty("tlbcheck.tries");
        try {
            var none = io.vavr.control.Option.<tlbcheck.model.Catalogue>none();
            var v10 = tlbcheck.model.Variants.V10;
            assertEquals(v10.scope(), v10.smallScope());
            assertEquals(HuntSettings.CROSS_CHECK_TRIES, HuntSettings.config(none, v10,
                    tlbcheck.model.invariant.BreakBeforeMake.INSTANCE).tries());
            assertEquals(10_000, HuntSettings.config(none, tlbcheck.model.Variants.V11,
                    tlbcheck.model.invariant.NoStaleAccessAfterRestriction.INSTANCE).tries());
            var v2 = tlbcheck.model.Variants.V2;
            assertTrue(!v2.scope().equals(v2.smallScope()));
            assertEquals(10_000, HuntSettings.config(none, v2, tlbcheck.model.invariant.NoStaleSecondaryTlb.INSTANCE).tries());
        } finally {
            if (old == null) System.clearProperty("tlbcheck.tries"); else System.setProperty("tlbcheck.tries", old);
        }
    }

    /**
     * A scope is checked against each selected variant's own, whose range, aliases and writable pages it keeps: one
     * page is too few for the mremap example's 2-page range, and the line says so (a newcomer's 4-page scope with 2
     * aliases was refused the other way, checked against no variant at all).
     */
    @org.junit.jupiter.api.Test
    void aScopeIsCheckedAgainstTheSelectedVariantsOwn() {
        String oldVariant = System.getProperty("tlbcheck.variant");
        String oldScope = System.getProperty("tlbcheck.scope");
        System.setProperty("tlbcheck.variant", MremapMovePtesFlush.BUG.name());
        try {
            System.setProperty("tlbcheck.scope", "2,0,2,2");
            HuntSettings.validate();
            System.setProperty("tlbcheck.scope", "2,0,1,2");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, HuntSettings::validate);
            assertTrue(e.getMessage().contains("for " + MremapMovePtesFlush.BUG.name() + ": "), e.getMessage());
            assertTrue(e.getMessage().contains("range"), e.getMessage());
        } finally {
            if (oldVariant == null) System.clearProperty("tlbcheck.variant"); else System.setProperty("tlbcheck.variant", oldVariant);
            if (oldScope == null) System.clearProperty("tlbcheck.scope"); else System.setProperty("tlbcheck.scope", oldScope);
        }
    }
}
