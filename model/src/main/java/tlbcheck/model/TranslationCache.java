package tlbcheck.model;

import io.vavr.collection.Array;

/**
 * What a translation cache (a CPU's TLB, an SMMU's, a vCPU's page entries: one concept with three owners) may hold
 * for one address. A walk caches a valid entry in an empty slot. When the entry is changed from one valid
 * translation to another frame without a break (no invalid entry and invalidation in between), a cache that holds
 * the address may walk the new entry at any time and keep both until the address is invalidated ({@link Pte.Both}):
 * the model gives it both at the write, since the walk could come at once. A change of permissions alone needs no
 * break and leaves the one entry, and so does a write after a break: the old entry then stays, alone, until the
 * invalidation the breaking procedure owes.
 */
public final class TranslationCache {

    private TranslationCache() {}

    /** Whether a write from {@code old} to {@code next} changes a valid translation's frame without a break. */
    public static boolean remaps(Pte old, Pte next) {
        return old instanceof Pte.Valid && next instanceof Pte.Valid && old.frame() != next.frame();
    }

    /** A slot holding {@code cached} after its address's entry was remapped to {@code next} ({@link #remaps}). */
    private static Pte remapped(Pte cached, Pte next) {
        return cached instanceof Pte.Valid v && v.frame() != next.frame() ? Pte.Both.of(v, (Pte.Valid) next) : cached;
    }

    /**
     * The caches (one row of slots per owner) after the entry for {@code page} was written from {@code old} to
     * {@code next}: on a remap every owner caching the page holds both; otherwise the same rows.
     */
    public static Array<Array<Pte>> remap(
            Array<Array<Pte>> caches, int page, Pte old, Pte next) {
        if (!remaps(old, next)) return caches;
        Array<Array<Pte>> out = caches;
        for (int owner = 0; owner < out.size(); owner++) {
            Pte cached = out.get(owner).get(page);
            Pte both = remapped(cached, next);
            if (both != cached) out = out.update(owner, out.get(owner).update(page, both));
        }
        return out;
    }

    /** Whether {@code after} still holds what {@code before} held (it may hold a second entry beside it). */
    public static boolean keeps(Pte before, Pte after) {
        return before.equals(after) || after instanceof Pte.Both b && b.older().equals(before);
    }
}
