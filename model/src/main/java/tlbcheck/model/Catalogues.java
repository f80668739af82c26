package tlbcheck.model;

import io.vavr.collection.Array;
import io.vavr.control.Option;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import tlbcheck.model.invariant.Invariant;

/**
 * Every catalogue on the classpath ({@link Catalogue}, found by {@link ServiceLoader}), and lookups by
 * name across them. Loaded once; two catalogues that use one name for different things are refused.
 */
public final class Catalogues {

    private static volatile Catalogues loaded;

    private final Array<Catalogue> catalogues;
    private final Map<String, Catalogue> variantOwner = new HashMap<>();
    private final Map<String, Catalogue> invariantOwner = new HashMap<>();

    private Catalogues(Array<Catalogue> catalogues) {
        this.catalogues = catalogues;
        for (Catalogue c : catalogues) {
            for (Variant v : c.variants()) claim(variantOwner, "variant", v.name(), c);
            for (Invariant i : c.invariants()) claim(invariantOwner, "invariant", i.name(), c);
        }
    }

    private static void claim(Map<String, Catalogue> owners, String what, String name, Catalogue c) {
        Catalogue other = owners.putIfAbsent(name.toLowerCase(java.util.Locale.ROOT), c);
        if (other != null && other != c) {
            throw new IllegalStateException("catalogues '" + other.name() + "' and '" + c.name() + "' both name a " + what
                    + " '" + name + "'; rename one of them");
        }
    }

    /** The catalogues on the classpath, the built-in one first. */
    public static Catalogues get() {
        Catalogues c = loaded;
        if (c == null) {
            synchronized (Catalogues.class) {
                if (loaded == null) {
                    java.util.List<Catalogue> found = new java.util.ArrayList<>();
                    found.add(new BuiltInCatalogue());
                    for (Catalogue cat : ServiceLoader.load(Catalogue.class)) {
                        if (!(cat instanceof BuiltInCatalogue)) found.add(cat);
                    }
                    loaded = new Catalogues(Array.ofAll(found));
                }
                c = loaded;
            }
        }
        return c;
    }

    public Array<Catalogue> catalogues() { return catalogues; }

    public Array<Variant> variants() { return catalogues.flatMap(Catalogue::variants); }

    public Array<Invariant> invariants() { return catalogues.flatMap(Catalogue::invariants); }

    /** A variant by name, or by catalogue row ("V5"). */
    public Variant variant(String name) {
        for (Variant v : variants()) {
            if (v.name().equalsIgnoreCase(name) || !v.row().isEmpty() && v.row().equalsIgnoreCase(name)) return v;
        }
        throw new IllegalArgumentException("unknown variant '" + name + "'" + closest(name, variants().map(Variant::name)) + "; known: "
                + variants().map(v -> v.row().isEmpty() ? v.name() : v.row() + " (" + v.name() + ")").mkString(", ")
                + ". A variant of your own is known once its catalogue is registered in"
                + " META-INF/services/tlbcheck.model.Catalogue (see the README)");
    }

    /** An invariant by name, or by catalogue number ("2"). */
    public Invariant invariant(String name) {
        for (Invariant i : invariants()) {
            if (i.name().equalsIgnoreCase(name) || i.number() > 0 && String.valueOf(i.number()).equals(name)) return i;
        }
        throw new IllegalArgumentException("unknown invariant '" + name + "'" + closest(name, invariants().map(Invariant::name)) + "; known: "
                + invariants().map(i -> i.number() > 0 ? i.number() + " (" + i.name() + ")" : i.name()).mkString(", ")
                + ". A rule of your own is known once its catalogue is registered in"
                + " META-INF/services/tlbcheck.model.Catalogue (see the README)");
    }

    /** " (did you mean 'x'?)" for the known name fewest edits away, when a typo could explain it; else nothing. */
    static String closest(String name, Array<String> known) {
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = edits(lower, k.toLowerCase(java.util.Locale.ROOT));
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return best != null && bestDistance <= Math.max(2, name.length() / 4) ? " (did you mean '" + best + "'?)" : "";
    }

    /** Levenshtein distance: insertions, deletions and substitutions. */
    private static int edits(String a, String b) {
        int[] row = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) row[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int above = row[j];
                row[j] = Math.min(Math.min(row[j] + 1, row[j - 1] + 1), diagonal + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.length()];
    }

    /** The catalogue that defines this variant. */
    public Option<Catalogue> ownerOf(Variant variant) {
        return Option.of(variantOwner.get(variant.name().toLowerCase(java.util.Locale.ROOT)));
    }

    /** The expectation a catalogue other than the built-in one states for a pair (the built-in's are in the tests). */
    public Option<String> expected(Variant variant, Invariant invariant) {
        return ownerOf(variant).flatMap(c -> c.expected(variant, invariant));
    }
}
