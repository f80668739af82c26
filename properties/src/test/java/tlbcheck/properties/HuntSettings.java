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

    /** {@code -Pdeep-explore}: no hunt, exhaustive search of every row in the reviewer's scope. */
    static boolean exploreOnly() {
        return "explore".equals(get("tlbcheck.mode").getOrElse("default"));
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

    private static void checkScope(String key, String text, boolean hunt) {
        for (tlbcheck.model.Variant variant : tlbcheck.model.Catalogues.get().variants()) {
            if (!selected("tlbcheck.variant", variant.name(), variant.row())) continue;
            for (tlbcheck.model.Scope base : hunt ? java.util.List.of(variant.scope(), variant.smallScope())
                    : java.util.List.of(variant.smallScope())) {
                try {
                    tlbcheck.model.Scope.parse(text, base);
                } catch (IllegalArgumentException e) {
                    throw bad(key, text, "CPUs, SMMUs, pages, frames, e.g. 2,1,2,3, then optionally -2range, -1alias,"
                            + " -1writable (for " + variant.name() + ": " + e.getMessage() + ")");
                }
            }
        }
    }

    /**
     * The walks of a row expected to hold whose hunting scope exhaustive search also explores in the build: that
     * search proves the row or refutes it, so these walks only cross-check the hunt against it.
     */
    static final int CROSS_CHECK_TRIES = 1_000;

    /** The hunt of a pair: {@link #config(String)}, with the walks its catalogue asks for unless the command line sets them. */
    static HuntConfig config(tlbcheck.model.Variant variant, tlbcheck.model.invariant.Invariant invariant) {
        return config(tlbcheck.model.Catalogues.get().ownerOf(variant), variant, invariant);
    }

    /** The hunt of a pair whose variant is {@code owner}'s. */
    static HuntConfig config(io.vavr.control.Option<tlbcheck.model.Catalogue> owner, tlbcheck.model.Variant variant,
                             tlbcheck.model.invariant.Invariant invariant) {
        HuntConfig config = config(variant.name() + "/" + invariant.name());
        if (deep() || get("tlbcheck.tries").isDefined()) return config;
        Option<Integer> asked = owner.flatMap(c -> c.huntTries(variant, invariant));
        if (asked.isDefined()) return config.withTries(asked.get());
        return crossCheck(variant, invariant) ? config.withTries(Math.min(config.tries(), CROSS_CHECK_TRIES)) : config;
    }

    /**
     * Whether the row's hunt is a cross-check: the row is expected to hold, and exhaustive search runs in this build
     * (unsharded, not only exploring) in the very scope the hunt walks.
     */
    static boolean crossCheck(tlbcheck.model.Variant variant, tlbcheck.model.invariant.Invariant invariant) {
        return !deep() && !exploreOnly() && shard()[1] == 1
                && Expected.verdict(variant, invariant).contains(Expected.HOLDS)
                && huntScope(variant).equals(ExhaustiveCheck.scope(variant));
    }

    /** The scope the hunt walks: {@code -Dtlbcheck.scope}, else the variant's own. */
    static tlbcheck.model.Scope huntScope(tlbcheck.model.Variant variant) {
        return get("tlbcheck.scope").map(text -> tlbcheck.model.Scope.parse(text, variant.scope())).getOrElse(variant.scope());
    }

    /** The config of one property; without -Dtlbcheck.seed the seed is derived from the property's name. */
    static HuntConfig config(String propertyName) {
        long seed = number("tlbcheck.seed", com.google.common.hash.Hashing.murmur3_128()
                .hashString(propertyName, java.nio.charset.StandardCharsets.UTF_8).asLong());
        HuntConfig config;
        if (deep()) {
            config = new HuntConfig(seed, (int) number("tlbcheck.tries", 50_000_000), (int) number("tlbcheck.length", 400),
                    number("tlbcheck.seconds", 120), 60, true, 10);
        } else {
            config = new HuntConfig(seed, (int) number("tlbcheck.tries", 10_000), (int) number("tlbcheck.length", 200),
                    number("tlbcheck.seconds", 120), 60, true, 0);
        }
        int[] shard = shard();
        return config.withShard(shard[0], shard[1]);
    }

    /** {@code -Dtlbcheck.shard=K/N} as {0-based K, N}; {0, 1} without it. */
    static int[] shard() {
        Option<String> v = get("tlbcheck.shard");
        if (v.isEmpty()) return new int[] {0, 1};
        String[] p = v.get().split("/");
        try {
            int k = Integer.parseInt(p[0].trim());
            int n = Integer.parseInt(p[1].trim());
            if (p.length == 2 && n >= 1 && k >= 1 && k <= n) return new int[] {k - 1, n};
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            // reported below
        }
        throw bad("tlbcheck.shard", v.get(), "K/N with 1 <= K <= N, e.g. 2/4 for the second of four shards");
    }

    /**
     * Checks every {@code -Dtlbcheck.*} value once, before any property runs, and fails with one line
     * naming the property, the value and what it accepts, instead of an error in each of a hundred tests.
     */
    static void validate() {
        for (String key : java.util.List.of("tlbcheck.seed", "tlbcheck.tries", "tlbcheck.length", "tlbcheck.depth")) {
            for (String v : get(key)) {
                long n;
                try {
                    n = Long.parseLong(v.replace("_", ""));
                } catch (NumberFormatException e) {
                    throw bad(key, v, key.equals("tlbcheck.seed") ? "a whole number, e.g. the seed a failure printed"
                            : "a whole number");
                }
                if (!key.equals("tlbcheck.seed") && (n < (key.equals("tlbcheck.depth") ? 0 : 1) || n > Integer.MAX_VALUE)) {
                    throw bad(key, v, key.equals("tlbcheck.depth") ? "0 (no bound) or more" : "1 or more");
                }
            }
        }
        shard();
        for (String v : get("tlbcheck.seconds")) {
            try {
                if (Double.parseDouble(v) > 0) continue;
            } catch (NumberFormatException e) {
                // reported below
            }
            throw bad("tlbcheck.seconds", v, "a number of seconds above 0");
        }
        for (String v : get("tlbcheck.variant")) {
            for (String name : v.split(",")) {
                try {
                    tlbcheck.model.Catalogues.get().variant(name.trim());
                } catch (IllegalArgumentException e) {
                    throw bad("tlbcheck.variant", v, "variant names or rows, comma-separated: " + e.getMessage());
                }
            }
        }
        // A scope keeps what each selected variant's own scope has beyond the four counts (its range, aliases and
        // writable pages) unless it names them, so it is checked against each.
        for (String v : get("tlbcheck.exploreScope")) checkScope("tlbcheck.exploreScope", v, false);
        for (String v : get("tlbcheck.scope")) checkScope("tlbcheck.scope", v, true);
        for (String v : get("tlbcheck.invariant")) {
            for (String name : v.split(",")) {
                try {
                    tlbcheck.model.Catalogues.get().invariant(name.trim());
                } catch (IllegalArgumentException e) {
                    throw bad("tlbcheck.invariant", v, "invariant names or numbers, comma-separated: " + e.getMessage());
                }
            }
        }
    }

    private static IllegalArgumentException bad(String key, String value, String accepted) {
        return new IllegalArgumentException("-D" + key + "=" + value + " is not accepted; it takes " + accepted);
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
