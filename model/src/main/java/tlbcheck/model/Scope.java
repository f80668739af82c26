package tlbcheck.model;

/**
 * How many of each actor the model has. Small scopes find these bugs (model/README.md, "What the model abstracts away"); the
 * limits below keep a scope inside what the state encoding and the explorer can hold.
 *
 * @param range the most pages a syscall's range (munmap, mprotect, madvise) may span; 1 keeps every procedure on one page
 * @param aliases how many pages start as a second mapping of another page's frame (a shared mapping, or CoW-shared
 *     pages after fork): page {@code pages - aliases + i} maps frame {@code i}, so a frame is freed only when its last
 *     mapping is gone
 * @param writable how many pages, the first ones, start mapped read-write rather than read-only: a page already written
 *     once, so that a counterexample about a writable mapping does not spend its first steps on the fault that makes one
 */
public record Scope(int cpus, int smmus, int pages, int frames, int range, int aliases, int writable) {

    public static final int MAX_CPUS = 4;
    public static final int MAX_SMMUS = 2;
    public static final int MAX_PAGES = 6;
    public static final int MAX_FRAMES = 8;

    public Scope {
        check("cpus", cpus, 1, MAX_CPUS);
        check("smmus", smmus, 0, MAX_SMMUS);
        check("pages", pages, 1, MAX_PAGES);
        check("frames", frames, pages - aliases, MAX_FRAMES);
        check("range", range, 1, Math.min(pages, Running.MAX_RANGE));
        check("aliases", aliases, 0, pages / 2);
        check("writable", writable, 0, pages);
    }

    public Scope(int cpus, int smmus, int pages, int frames, int range, int aliases) {
        this(cpus, smmus, pages, frames, range, aliases, 0);
    }

    public Scope(int cpus, int smmus, int pages, int frames) {
        this(cpus, smmus, pages, frames, 1, 0, 0);
    }

    private static void check(String what, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("scope " + what + "=" + value + " is outside " + min + ".." + max
                    + (value > max && !what.equals("range") && !what.equals("aliases") && !what.equals("writable")
                            ? " (scope too large: tlbcheck keeps scopes small; every seeded bug shows in"
                            + " 2-3 CPUs, 1-2 SMMUs, 2-4 pages, 3-5 frames)" : "")
                    + (what.equals("frames") && value < min ? " (every page starts mapped, so frames >= pages - aliases;"
                            + " pages that share frames name their aliases in the same call, as"
                            + " new Scope(cpus, smmus, pages, frames, range, aliases) or the text '...-2alias':"
                            + " Scope.of(...).withAliases(n) checks the frames before it has the aliases)" : "")
                    + (what.equals("writable") && value > max ? " (the first pages start writable, so at most every"
                            + " page)" : "")
                    + (what.equals("range") && value > max ? " (a range spans at most the scope's pages, and at most "
                            + Running.MAX_RANGE + ")" : "")
                    + (what.equals("aliases") && value > max ? " (each alias is a second page mapping one of the"
                            + " first pages' frames, so at most half the pages)" : ""));
        }
    }

    public static Scope of(int cpus, int smmus, int pages, int frames) {
        return new Scope(cpus, smmus, pages, frames);
    }

    public Scope withRange(int pagesPerRange) {
        return new Scope(cpus, smmus, pages, frames, pagesPerRange, aliases, writable);
    }

    public Scope withAliases(int n) {
        return new Scope(cpus, smmus, pages, frames, range, n, writable);
    }

    /** The same scope with its first {@code n} pages mapped read-write at the start. */
    public Scope withWritable(int n) {
        return new Scope(cpus, smmus, pages, frames, range, aliases, n);
    }

    /**
     * The same scope with fewer pages, the first ones kept as they start, and fewer frames: for a trace that names only
     * those. Aliases are not kept (dropping a page would move them); a caller asks only of a scope without.
     */
    public Scope narrowed(int newCpus, int newSmmus, int newPages, int newFrames) {
        return new Scope(newCpus, newSmmus, newPages, newFrames, range, aliases, Math.min(writable, newPages));
    }

    /**
     * Parses "2cpu-1smmu-4page-5frame" or "2,1,4,5", optionally followed by "-2range", "-1alias" and "-1writable"
     * (named, in any order; a plain fifth, sixth and seventh count are range, aliases and writable).
     */
    public static Scope parse(String text) {
        return parse(text, Scope.of(1, 0, 1, 1));
    }

    /**
     * {@link #parse(String)}, where the range, aliases and writable pages the text does not name are those of
     * {@code base}: a scope given on the command line for a variant keeps what the variant's own scope has beyond the
     * four counts (a range an mremap needs, the aliases a shared frame needs) unless it names them, e.g. "-1range".
     */
    public static Scope parse(String text, Scope base) {
        String[] parts = text.trim().split("[,\\-]");
        if (parts.length < 4 || parts.length > 7) {
            throw new IllegalArgumentException("scope '" + text + "' must name four counts, e.g. 2cpu-1smmu-4page-5frame,"
                    + " optionally followed by -2range, -1alias and -1writable");
        }
        int[] n = new int[4];
        for (int i = 0; i < 4; i++) {
            n[i] = count(text, parts[i]);
        }
        int range = base.range();
        int aliases = base.aliases();
        int writable = base.writable();
        boolean[] named = new boolean[3];
        for (int i = 4; i < parts.length; i++) {
            String word = parts[i].trim().replaceAll("[0-9]", "");
            int value = count(text, parts[i]);
            if (word.startsWith("alias") || word.isEmpty() && i == 5) {
                aliases = value;
                named[1] = true;
            } else if (word.equals("range") || word.isEmpty() && i == 4) {
                range = value;
                named[0] = true;
            } else if (word.equals("writable") || word.isEmpty() && i == 6) {
                writable = value;
                named[2] = true;
            } else {
                throw new IllegalArgumentException("scope '" + text + "': '" + parts[i] + "' is neither a range"
                        + " (e.g. 2range), aliases (e.g. 1alias) nor writable pages (e.g. 1writable)");
            }
        }
        try {
            return new Scope(n[0], n[1], n[2], n[3], range, aliases, writable);
        } catch (IllegalArgumentException e) {
            String kept = (named[0] || range == 1 ? "" : " -" + range + "range")
                    + (named[1] || aliases == 0 ? "" : " -" + aliases + "alias")
                    + (named[2] || writable == 0 ? "" : " -" + writable + "writable");
            if (kept.isEmpty()) throw e;
            throw new IllegalArgumentException(e.getMessage() + "; kept from " + base + ":" + kept
                    + " (name them in the scope to change them, e.g. -1range, -0alias, -0writable)", e);
        }
    }

    private static int count(String text, String part) {
        String digits = part.replaceAll("[^0-9]", "");
        if (digits.isEmpty()) {
            throw new IllegalArgumentException("scope '" + text + "': '" + part + "' has no count");
        }
        return Integer.parseInt(digits);
    }

    @Override
    public String toString() {
        return cpus + "cpu-" + smmus + "smmu-" + pages + "page-" + frames + "frame"
                + (range > 1 ? "-" + range + "range" : "") + (aliases > 0 ? "-" + aliases + "alias" : "")
                + (writable > 0 ? "-" + writable + "writable" : "");
    }
}
