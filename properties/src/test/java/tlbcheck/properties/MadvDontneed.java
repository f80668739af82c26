package tlbcheck.properties;

import io.vavr.collection.Array;
import io.vavr.control.Option;
import java.util.List;
import tlbcheck.model.Catalogue;
import tlbcheck.model.Variant;
import tlbcheck.model.Variants;
import tlbcheck.model.invariant.Invariant;
import tlbcheck.model.kernel.MmPaths;

/**
 * {@code MADV_DONTNEED} as the kernel runs it, under the mmap read lock ({@link MmPaths#madvDontneed}): it zaps
 * beside faults that map the page again and beside another zap of the same range, and its {@code tlb_finish_mmu}
 * flushes the whole mm when gathers nest. Added to V1 (Linux 6.4) and V5 (6.6) with {@code plus}, not built in: a
 * read-locked zap multiplies the state space of every row.
 */
public final class MadvDontneed implements Catalogue {

    static final Variant MADV_6_4 = Variants.V1.withKernel("V1-madv-dontneed", "V1 with madvise(MADV_DONTNEED) under"
            + " mmap_read_lock", Variants.V1.kernel().plus(MmPaths.LINUX_6_4.madvDontneed()));

    static final Variant MADV_6_6 = Variants.V5.withKernel("V5-madv-dontneed", "V5 with madvise(MADV_DONTNEED) under"
            + " mmap_read_lock", Variants.V5.kernel().plus(MmPaths.LINUX_6_6.madvDontneed()));

    @Override public String name() { return "madv-dontneed"; }

    @Override public Array<Variant> variants() { return Array.of(MADV_6_4, MADV_6_6); }

    /**
     * The zap's promises hold under the read lock: no TLB grants access to a page it unmapped once it returns (2), no
     * frame is freed while translated (3). On V5 the SMMU follows (1) and every flush, the nested one included, is
     * mirrored once (7). V1's own violations (1, 4, 7) are the upgrade path's and stay out of these rows.
     */
    @Override public Option<String> expected(Variant variant, Invariant invariant) {
        int n = invariant.number();
        if (n == 2 || n == 3) return Option.some(Expected.HOLDS);
        if (variant == MADV_6_6 && (n == 1 || n == 7)) return Option.some(Expected.HOLDS);
        return Option.none();
    }

    @Override public List<String> fixedBy(Variant variant, Invariant invariant) {
        return List.of();
    }
}
