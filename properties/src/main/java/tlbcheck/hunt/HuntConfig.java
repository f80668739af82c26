package tlbcheck.hunt;

/**
 * How hard one property hunts.
 *
 * @param seed the seed of the first try; later tries derive theirs from it (see {@link #trySeed})
 * @param tries random walks at most
 * @param length steps per walk at most
 * @param seconds time limit for the walks of one property
 * @param shrinkSeconds time limit for shrinking one failure
 * @param swarm whether walks leave out random subsets of the hardware step kinds
 * @param progressSeconds print a progress line this often (0: never)
 */
/**
 * How long a hunt runs. Work is bounded by counts ({@code tries}, {@code length}, {@code shrinkCandidates}),
 * so the verdict and the trace do not depend on the machine's load; {@code seconds} and
 * {@code shrinkSeconds} are safety nets, and a run they stop says so ({@code stoppedBy: time}).
 */
public record HuntConfig(long seed, int tries, int length, double seconds, double shrinkSeconds, boolean swarm,
                         double progressSeconds) {

    /** Candidate replays the shrinker may try before it stops short of a fixpoint. */
    public int shrinkCandidates() {
        return 200_000;
    }

    public HuntConfig {
        if (tries < 1 || length < 1 || seconds <= 0 || shrinkSeconds <= 0) {
            throw new IllegalArgumentException("hunt config needs tries, length and time limits above zero: " + this);
        }
    }

    public static HuntConfig quick(long seed) {
        return new HuntConfig(seed, 4000, 160, 20, 10, true, 0);
    }

    public HuntConfig withSeed(long newSeed) {
        return new HuntConfig(newSeed, tries, length, seconds, shrinkSeconds, swarm, progressSeconds);
    }

    public HuntConfig withTries(int newTries) {
        return new HuntConfig(seed, newTries, length, seconds, shrinkSeconds, swarm, progressSeconds);
    }

    /**
     * The seed of try {@code i}. Try 0 uses the seed itself, so the seed printed with a failure,
     * passed back as {@code -Dtlbcheck.seed}, reruns exactly that walk first.
     */
    public long trySeed(int i) {
        if (i == 0) return seed;
        long z = seed + 0x9E3779B97F4A7C15L * i;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
