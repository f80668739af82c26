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
     * CPUs, and also pages and frames, where the model treats them alike: on a platform without a guest (a
     * guest's stage 2 gives pages and frames roles of their own) and with one-page procedures (a range is a run of
     * neighbouring pages, and a zap of a range frees its frames in an order of their numbers). Frames are
     * interchangeable because nothing compares their numbers: the allocator takes the head of the free list
     * ({@link tlbcheck.model.State#freeRank}), not the lowest frame. Pages are renamed only in scopes of up to 3
     * pages (the canonical form tries every order of the pages).
     */
    ALL
}
