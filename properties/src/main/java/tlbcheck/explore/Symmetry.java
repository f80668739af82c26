package tlbcheck.explore;

/**
 * Which renamings the explorer treats as the same state. Renaming CPUs, pages or frames maps a run of the model to
 * another run, step for step, with the same verdict at every step, so the search needs only one state of each
 * class: the classes are what it counts, and a shortest counterexample keeps its length.
 */
public enum Symmetry {
    /** Every state as it is: the search the reductions are checked against. */
    NONE,
    /** CPUs are interchangeable: every step names its CPU and nothing else tells them apart. */
    CPUS,
    /**
     * CPUs, and also pages and frames, where the model treats them alike. Frames are interchangeable because nothing
     * compares their numbers: the allocator takes the head of the free list ({@link tlbcheck.model.State#freeRank}),
     * not the lowest frame, and a range zap frees its frames in address order
     * ({@link tlbcheck.model.Running#oldFrames}). That holds on a platform without a guest and under an x86 guest,
     * whose stage 2 only copies the process's frames; not under arm64's stage-2 block, which maps guest page g to its
     * frame plus g. Pages are renamed only without a guest (x86's APIC-access page is guest page 0), with one-page
     * procedures (a range is a run of neighbouring pages) and in scopes of up to 3 pages (the canonical form tries
     * the orders of the pages). Pages and frames are renamed only in a kernel made of the model's own triggers,
     * conditions and ops ({@link KernelSymmetry}): a lambda of the user's may tell them apart.
     */
    ALL
}
