package tlbcheck.hunt;

import io.vavr.collection.Array;
import io.vavr.control.Option;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import tlbcheck.model.Model;
import tlbcheck.model.State;
import tlbcheck.model.step.Step;

/**
 * Seeded random walks over the model. Each step is drawn from the steps enabled in the current
 * state: first a kind by weight, then a candidate of that kind, rejection-sampled so a step costs a
 * few refusal checks rather than an enumeration. Weights favour kernel progress while hardware
 * fills, evictions and device accesses keep happening, which is where the races live. Half the walks choose
 * which CPU advances by priority ({@link Priorities}), the others uniformly.
 */
public final class Generator {

    /** Base weight of each kind of step; kinds not listed weigh 1. */
    private static final Map<String, Integer> WEIGHTS = Map.ofEntries(
            Map.entry("Advance", 12), Map.entry("Start", 3), Map.entry("HandleDeviceFault", 6),
            Map.entry("DeviceAccess", 6), Map.entry("DeviceIssue", 2), Map.entry("CpuFill", 2), Map.entry("SmmuFill", 3),
            Map.entry("CpuEvict", 1), Map.entry("SmmuEvict", 1), Map.entry("CpuAccess", 1), Map.entry("VcpuFill", 3),
            Map.entry("VcpuAccess", 4), Map.entry("AtcFill", 3));

    private static final int ATTEMPTS = 24;

    private final Model model;
    private final String[] kinds;
    private final Step[][] byKind;
    /** The index of the Advance kind in {@link #byKind}, whose steps are in CPU order. */
    private final int advance;

    public Generator(Model model) {
        this.model = model;
        Map<String, java.util.List<Step>> groups = new LinkedHashMap<>();
        for (Step s : model.candidates()) {
            groups.computeIfAbsent(s.kind(), k -> new java.util.ArrayList<>()).add(s);
        }
        this.kinds = groups.keySet().toArray(String[]::new);
        this.byKind = groups.values().stream().map(l -> l.toArray(Step[]::new)).toArray(Step[][]::new);
        this.advance = java.util.Arrays.asList(kinds).indexOf("Advance");
    }

    public Model model() {
        return model;
    }

    public Array<String> kinds() {
        return Array.of(kinds);
    }

    /**
     * Which kinds of step one walk may take, and how often. With swarm testing, each walk leaves
     * out a random subset of the hardware kinds (never the kernel's own progress), which reaches
     * states one fixed mix rarely does: a walk without SMMU evictions keeps a stale entry forever.
     */
    public final class Policy {
        private final int[] cumulative;
        private final int[] kindOf;
        private final boolean[] allowed;
        /** The walk's order of the CPUs; without one, any CPU that can move advances. */
        private final Option<Priorities> priorities;

        Policy(boolean[] allowed, Option<Priorities> priorities) {
            this.allowed = allowed;
            this.priorities = priorities;
            int n = 0;
            for (boolean a : allowed) n += a ? 1 : 0;
            cumulative = new int[n];
            kindOf = new int[n];
            int total = 0;
            int j = 0;
            for (int k = 0; k < kinds.length; k++) {
                if (allowed[k]) {
                    total += WEIGHTS.getOrDefault(kinds[k], 1);
                    cumulative[j] = total;
                    kindOf[j++] = k;
                }
            }
        }

        /** The walk's order of the CPUs, if it schedules by priority. */
        Option<Priorities> priorities() {
            return priorities;
        }

        /** Whether walks under this policy may take steps of this kind. */
        boolean allows(String kind) {
            for (int k = 0; k < kinds.length; k++) if (kinds[k].equals(kind)) return allowed[k];
            throw new IllegalArgumentException("no step of kind " + kind + " in this model");
        }

        /** An enabled step, or none when the machine can do nothing at all. */
        public Option<Step> next(State state, SplittableRandom random) {
            priorities.forEach(Priorities::step);
            int total = cumulative[cumulative.length - 1];
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                int r = random.nextInt(total);
                int j = 0;
                while (cumulative[j] <= r) j++;
                Step[] group = byKind[kindOf[j]];
                Option<Step> candidate = priorities.isDefined() && kindOf[j] == advance
                        ? priorities.get().advance(model, state, group) : Option.some(group[random.nextInt(group.length)]);
                if (candidate.isDefined() && candidate.get().enabled(model, state)) {
                    return candidate;
                }
            }
            // Rare: few steps are enabled. Enumerate, preferring the allowed kinds (and ignoring priorities).
            Array<Step> enabled = Array.empty();
            for (int j = 0; j < kindOf.length; j++) {
                for (Step s : byKind[kindOf[j]]) {
                    if (s.enabled(model, state)) enabled = enabled.append(s);
                }
            }
            if (enabled.isEmpty()) {
                enabled = model.enabled(state);
            }
            return enabled.isEmpty() ? Option.none() : Option.some(enabled.get(random.nextInt(enabled.size())));
        }
    }

    /**
     * The same kinds of step, with the walk's procedures scheduled by priority ({@link Priorities}) among its first
     * {@code length} steps. The policy counts the walk's steps: one per walk.
     */
    public Policy prioritised(Policy base, int length, SplittableRandom random) {
        return new Policy(base.allowed, Option.some(Priorities.draw(byKind[advance].length, length, random)));
    }

    public Policy everything() {
        boolean[] all = new boolean[kinds.length];
        java.util.Arrays.fill(all, true);
        return new Policy(all, Option.none());
    }

    /** A swarm policy drawn from the walk's own random stream, so a seed reproduces it. */
    public Policy swarm(SplittableRandom random) {
        boolean[] allowed = new boolean[kinds.length];
        for (int k = 0; k < kinds.length; k++) {
            boolean kernel = kinds[k].equals("Advance") || kinds[k].equals("Start") || kinds[k].equals("HandleDeviceFault");
            allowed[k] = kernel || random.nextInt(3) != 0;
        }
        return new Policy(allowed, Option.none());
    }
}
