package tlbcheck.properties;

import io.vavr.control.Option;
import tlbcheck.hunt.HuntConfig;

/**
 * Hunt settings from system properties ({@code -Dtlbcheck.*}), so the same tests serve the quick
 * default build and a deep hunt. Bad values fail loudly with the property's name.
 */
final class HuntSettings {

    private HuntSettings() {}

    static boolean deep() {
        return "deep".equals(get("tlbcheck.mode").getOrElse("default"));
    }

    static Option<String> get(String key) {
        String v = System.getProperty(key);
        return v == null || v.isBlank() ? Option.none() : Option.some(v.trim());
    }

    private static long number(String key, long fallback) {
        Option<String> v = get(key);
        if (v.isEmpty()) return fallback;
        try {
            return Long.parseLong(v.get().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + key + "=" + v.get() + " is not a number", e);
        }
    }

    /** The config of one property; without -Dtlbcheck.seed the seed is derived from the property's name. */
    static HuntConfig config(String propertyName) {
        long seed = number("tlbcheck.seed", com.google.common.hash.Hashing.murmur3_128()
                .hashString(propertyName, java.nio.charset.StandardCharsets.UTF_8).asLong());
        if (deep()) {
            return new HuntConfig(seed, (int) number("tlbcheck.tries", 50_000_000), (int) number("tlbcheck.length", 400),
                    number("tlbcheck.seconds", 120), 60, true, 10);
        }
        return new HuntConfig(seed, (int) number("tlbcheck.tries", 10_000), (int) number("tlbcheck.length", 200),
                number("tlbcheck.seconds", 10), 10, true, 0);
    }

    static boolean selected(String key, String... names) {
        Option<String> filter = get(key);
        if (filter.isEmpty()) return true;
        for (String f : filter.get().split(",")) {
            for (String n : names) {
                if (n.equalsIgnoreCase(f.trim())) return true;
            }
        }
        return false;
    }
}
