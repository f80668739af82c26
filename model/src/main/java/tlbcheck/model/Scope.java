package tlbcheck.model;

/**
 * How many of each actor the model has. Small scopes find these bugs (model/README.md, "What the model abstracts away"); the
 * limits below keep a scope inside what the state encoding and the explorer can hold.
 */
public record Scope(int cpus, int smmus, int pages, int frames) {

    public static final int MAX_CPUS = 4;
    public static final int MAX_SMMUS = 2;
    public static final int MAX_PAGES = 6;
    public static final int MAX_FRAMES = 8;

    public Scope {
        check("cpus", cpus, 1, MAX_CPUS);
        check("smmus", smmus, 0, MAX_SMMUS);
        check("pages", pages, 1, MAX_PAGES);
        check("frames", frames, pages, MAX_FRAMES);
    }

    private static void check(String what, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("scope " + what + "=" + value + " is outside " + min + ".." + max
                    + (value > max ? " (scope too large: tlbcheck keeps scopes small; every seeded bug shows in"
                            + " 2-3 CPUs, 1-2 SMMUs, 2-4 pages, 3-5 frames)" : "")
                    + (what.equals("frames") && value < min ? " (every page starts mapped, so frames >= pages)" : ""));
        }
    }

    public static Scope of(int cpus, int smmus, int pages, int frames) {
        return new Scope(cpus, smmus, pages, frames);
    }

    /** Parses "2cpu-1smmu-4page-5frame" or "2,1,4,5". */
    public static Scope parse(String text) {
        String[] parts = text.trim().split("[,\\-]");
        if (parts.length != 4) {
            throw new IllegalArgumentException("scope '" + text + "' must name four counts, e.g. 2cpu-1smmu-4page-5frame");
        }
        int[] n = new int[4];
        for (int i = 0; i < 4; i++) {
            String digits = parts[i].replaceAll("[^0-9]", "");
            if (digits.isEmpty()) {
                throw new IllegalArgumentException("scope '" + text + "': '" + parts[i] + "' has no count");
            }
            n[i] = Integer.parseInt(digits);
        }
        return new Scope(n[0], n[1], n[2], n[3]);
    }

    @Override
    public String toString() {
        return cpus + "cpu-" + smmus + "smmu-" + pages + "page-" + frames + "frame";
    }
}
