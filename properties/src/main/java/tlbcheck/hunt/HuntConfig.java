package tlbcheck.hunt;

/**
 * How hard one property hunts. Work is bounded by counts ({@code tries}, {@code length}, {@code shrinkCandidates}),
 * so the verdict and the trace do not depend on the machine's load; {@code seconds} and
 * {@code shrinkSeconds} are safety nets, and a run they stop says so ({@code stoppedBy: time}).
 *
 * @param seed the seed of the first try; later tries derive theirs from it (see {@link #trySeed})
 * @param tries random walks at most
 * @param length steps per walk at most
 * @param seconds time limit for the walks of one property
 * @param shrinkSeconds time limit for shrinking one failure
 * @param swarm whether walks leave out random subsets of the hardware step kinds
 * @param progressSeconds print a progress line this often (0: never)
 * @param shard which of {@code shards} this run is, from 0 ({@link #withShard})
 * @param shards how many machines split the tries between them
 * @param pct whether half the walks (each chosen by its own seed) schedule procedures by priority
 *     ({@link Priorities}), which finds races that need one procedure to run whole inside another's window
 */
public record HuntConfig(long seed, int tries, int length, double seconds, double shrinkSeconds, boolean swarm,
                         double progressSeconds, int shard, int shards, boolean pct) {

    /** The whole seed space on one machine. */
    public HuntConfig(long seed, int tries, int length, double seconds, double shrinkSeconds, boolean swarm,
                      double progressSeconds) {
        this(seed, tries, length, seconds, shrinkSeconds, swarm, progressSeconds, 0, 1, true);
    }

    /**
     * Shard {@code k} of {@code n} (0-based here; 1-based on the command line, {@code -Dtlbcheck.shard=K/N}):
     * it walks the tries whose index is {@code k} modulo {@code n}, so the shards of one seed cover its
     * tries exactly once between them, and each printed seed reruns on one machine.
     */
    public HuntConfig withShard(int k, int n) {
        return new HuntConfig(seed, tries, length, seconds, shrinkSeconds, swarm, progressSeconds, k, n, pct);
    }

    /** Whether this run is one shard of a hunt split across machines. */
    public boolean sharded() {
        return shards > 1;
    }

    /** {@code K/N}, 1-based as on the command line. */
    public String shardLabel() {
        return (shard + 1) + "/" + shards;
    }

    /** Whether try {@code i} belongs to this shard. */
    public boolean mine(int i) {
        return i % shards == shard;
    }

    /** Candidate replays the shrinker may try before it stops short of a fixpoint. */
    public int shrinkCandidates() {
        return 200_000;
    }

    public HuntConfig {
        if (shards < 1 || shard < 0 || shard >= shards) {
            throw new IllegalArgumentException("shard " + (shard + 1) + " of " + shards + " does not exist");
        }
        if (tries < 1 || length < 1 || seconds <= 0 || shrinkSeconds <= 0) {
            throw new IllegalArgumentException("hunt config needs tries, length and time limits above zero: " + this);
        }
    }

    public static HuntConfig quick(long seed) {
        return new HuntConfig(seed, 4000, 160, 20, 10, true, 0);
    }

    public HuntConfig withSeed(long newSeed) {
        return new HuntConfig(newSeed, tries, length, seconds, shrinkSeconds, swarm, progressSeconds, shard, shards, pct);
    }

    /** Every walk chooses the CPU that advances uniformly: the hunt as it was before {@link Priorities}. */
    public HuntConfig withoutPct() {
        return new HuntConfig(seed, tries, length, seconds, shrinkSeconds, swarm, progressSeconds, shard, shards, false);
    }

    public HuntConfig withTries(int newTries) {
        return new HuntConfig(seed, newTries, length, seconds, shrinkSeconds, swarm, progressSeconds, shard, shards, pct);
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
