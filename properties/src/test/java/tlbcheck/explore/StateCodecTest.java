package tlbcheck.explore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tlbcheck.hunt.Generator;
import tlbcheck.model.Model;
import tlbcheck.model.Pte;
import tlbcheck.model.Scope;
import tlbcheck.model.State;
import tlbcheck.model.Variant;
import tlbcheck.model.step.Step;

/**
 * The packed form is the state: on random walks of every catalogued variant's small scope, a state decoded from its
 * encoding without symmetry equals the state, and with CPUs, pages and frames renamed its canonical encoding is a fixpoint (decoding
 * it and encoding again gives the same words), so the explorer's queue loses nothing the fingerprint keeps.
 */
class StateCodecTest {

    static Stream<Variant> variants() {
        return tlbcheck.model.Catalogues.get().variants().toJavaStream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void encodingRoundTripsOnRandomWalks(Variant variant) {
        Model model = new Model(variant, variant.smallScope());
        StateCodec plain = new StateCodec(model, Symmetry.NONE);
        StateCodec canonical = new StateCodec(model, Symmetry.ALL);
        int words = plain.words();
        walk(model, variant.name().hashCode(), 40, 120, (s, random) -> {
            long[] a = new long[words];
            plain.encodeCanonical(s, a, 0);
            assertEquals(s, plain.decode(a, 0), () -> variant.name() + ": the unreduced encoding round-trips");
            long[] c = new long[words];
            canonical.encodeCanonical(s, c, 0);
            long[] again = new long[words];
            java.util.Arrays.fill(again, -1L);
            canonical.encodeCanonical(canonical.decode(c, 0), again, 0);
            assertArrayEquals(c, again, () -> variant.name() + ": the canonical form is a fixpoint, written over whatever the words held");
        });
    }

    /** Random walks of the model, each from its initial state, a step chosen among all enabled; {@code visit} sees each state. */
    private static void walk(Model model, long seed, int walks, int steps,
                             java.util.function.BiConsumer<State, SplittableRandom> visit) {
        Generator.Policy policy = new Generator(model).everything();
        SplittableRandom random = new SplittableRandom(seed);
        for (int walk = 0; walk < walks; walk++) {
            State s = model.initial();
            for (int i = 0; i < steps; i++) {
                visit.accept(s, random);
                var next = policy.next(s, random);
                if (next.isEmpty()) break;
                Step step = next.get();
                s = step.fire(model, s).after();
            }
        }
    }

    /**
     * The canonical form is canonical: a state and any renaming of it (CPUs; frames, and pages, too where the codec
     * renames them) get the same words, on random walks of every catalogued variant in its small scope and in two
     * CPUs, two pages and three frames. A form too fine would only cost states; this is the check that it is not.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void renamingsOfAStateShareItsCanonicalForm(Variant variant) {
        for (Scope scope : scopes(variant)) {
            if (scope.cpus() > 2) continue; // ties among three CPUs may leave renamings apart, as the codec says
            Model model = new Model(variant, scope);
            StateCodec codec = new StateCodec(model, Symmetry.ALL);
            walk(model, variant.name().hashCode() + 1, 20, 100, (s, random) -> {
                long[] c = new long[codec.words()];
                codec.encodeCanonical(s, c, 0);
                Renamed renamed = Renamed.randomly(s, codec, random);
                long[] r = new long[codec.words()];
                codec.encodeCanonical(renamed.state(), r, 0);
                assertArrayEquals(c, r, () -> variant.name() + " " + scope + ": " + s + "\n" + renamed);
            });
        }
    }

    /**
     * The canonical form loses nothing: the state it decodes to is a renaming of the state encoded (some order of the
     * CPUs, and of the pages and frames where the codec renames them), on random walks of every catalogued variant in
     * its small scope and the reviewer's. A form too coarse would merge states that differ, and the search would miss
     * what only one of them reaches; the other tests of this class cannot see that (a codec that wrote every state as
     * zeros would pass them).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void theCanonicalFormDecodesToARenamingOfTheState(Variant variant) {
        for (Scope scope : scopes(variant)) {
            Model model = new Model(variant, scope);
            StateCodec codec = new StateCodec(model, Symmetry.ALL);
            walk(model, variant.name().hashCode() + 3, 5, 60, (s, random) -> {
                long[] c = new long[codec.words()];
                codec.encodeCanonical(s, c, 0);
                State decoded = codec.decode(c, 0);
                boolean found = renamings(s, codec).contains(decoded);
                assertTrue(found, () -> variant.name() + " " + scope + ": " + s + "\nis canonically " + decoded
                        + ", which is no renaming of it");
            });
        }
    }

    /** The states of the first levels of a breadth-first search, unreduced, taken in {@link #orbitsAreCanonicalForms}. */
    private static final int FIRST_STATES = 2_000;

    /**
     * The canonical form is the orbit, no finer and no coarser: two states get the same canonical words exactly when
     * one is a renaming of the other. Every renaming is tried (the smallest unreduced encoding among a state's
     * renamings names its orbit), on the first {@value #FIRST_STATES} states of a breadth-first search and the states
     * of random walks, of every catalogued variant in its small scope and the reviewer's. The tests above try one
     * renaming at random per state; a canonical form goes wrong at ties (two CPUs, pages or frames alike but for one
     * detail) that few states have, and a form too fine there would only cost states, so no verdict would show it
     * (a pruning of the page orders tried that was inverted passed every other test here, and fails this one on 20
     * variants). With three or more CPUs a tie may leave two renamings of a state apart, as the codec says: there
     * only the other half is checked, that states of two orbits never share a form.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void orbitsAreCanonicalForms(Variant variant) {
        for (Scope scope : scopes(variant)) {
            Model model = new Model(variant, scope);
            StateCodec codec = new StateCodec(model, Symmetry.ALL);
            StateCodec plain = new StateCodec(model, Symmetry.NONE);
            java.util.List<State> states = firstStates(model, plain, FIRST_STATES);
            walk(model, variant.name().hashCode() + 4, 10, 80, (s, random) -> states.add(s));
            java.util.Map<java.util.List<Long>, Met> byForm = new java.util.HashMap<>();
            java.util.Map<java.util.List<Long>, Met> byOrbit = new java.util.HashMap<>();
            for (State s : states) {
                java.util.List<Long> orbit = null;
                for (State renamed : renamings(s, codec)) {
                    java.util.List<Long> w = words(plain, renamed);
                    if (orbit == null || before(w, orbit)) orbit = w;
                }
                java.util.List<Long> form = words(codec, s);
                Met sameForm = byForm.putIfAbsent(form, new Met(orbit, s));
                Met sameOrbit = byOrbit.putIfAbsent(orbit, new Met(form, s));
                String where = variant.name() + " " + scope + ": ";
                assertTrue(sameForm == null || sameForm.key().equals(orbit),
                        () -> where + "no renaming takes " + s + "\nto " + sameForm.state() + ", yet they share a canonical form");
                if (scope.cpus() <= 2) {
                    assertTrue(sameOrbit == null || sameOrbit.key().equals(form),
                            () -> where + s + "\nis a renaming of " + sameOrbit.state() + ", yet their canonical forms differ");
                }
            }
        }
    }

    /**
     * Two CPUs alike in all but what their procedures owe are put in order by that alone: one owes the other CPU's
     * TLB, the other owes nothing, and both orders of the CPUs get one form. Walks seldom reach such a tie (two
     * procedures at the same point of the same page, on CPUs caching the same), so the tests above pass a codec that
     * ignores the debts when ordering CPUs, or breaks that tie the other way round; this one fails on both.
     */
    @org.junit.jupiter.api.Test
    void cpusTiedButForTheirDebtsAreOrderedByThem() {
        Variant variant = tlbcheck.model.Catalogues.get().variant("V5");
        Model model = new Model(variant, tlbcheck.properties.ExhaustiveCheck.reviewerScope(variant));
        StateCodec codec = new StateCodec(model, Symmetry.ALL);
        java.util.List<State> busy = new java.util.ArrayList<>();
        walk(model, 13, 20, 60, (s, random) -> {
            if (busy.isEmpty() && s.running(0).isDefined()) busy.add(s);
        });
        assertFalse(busy.isEmpty(), "no walk of V5 started a procedure on CPU 0");
        State s = busy.get(0);
        tlbcheck.model.Running r = s.running(0).get();
        State alike = s;
        for (int p = 0; p < s.pages(); p++) alike = alike.withCpuTlb(1, p, s.cpuTlb(0, p));
        State tied = alike.withRunning(0, r.withOwed(0).owes(r.page(), tlbcheck.model.Running.cpuBit(1)))
                .withRunning(1, r.withOwed(0));
        java.util.Set<java.util.List<Long>> forms = new java.util.HashSet<>();
        for (State renamed : renamings(tied, codec)) forms.add(words(codec, renamed));
        assertEquals(1, forms.size(), () -> "the renamings of " + tied + " get " + forms.size() + " forms");
    }

    /**
     * A procedure's snapshot is a PTE code ({@code Running.snapshot}), and names a frame: where the codec renames
     * frames it renames that one with them. A snapshot of a mapped frame and one of a free frame are told apart (kept
     * as it was, the snapshot would let a renaming of the frames merge them), every renaming of the frames shares the
     * canonical form, and the form decodes to a renaming of the state. A snapshot that is no PTE code is refused there.
     */
    @Test
    void aSnapshotNamesAFrameAndIsRenamedWithIt() {
        Model model = new Model(tlbcheck.model.Variants.byName("V5"), Scope.of(2, 1, 2, 3));
        StateCodec codec = new StateCodec(model, Symmetry.ALL);
        assertTrue(codec.framesAlike());
        State s = firstStates(model, new StateCodec(model, Symmetry.NONE), 5000).stream()
                .filter(x -> x.running(0).isDefined() && x.running(1).isEmpty() && x.pte(0).present() && x.freeFrames() != 0)
                .findFirst().get();
        int mapped = s.pte(0).frame();
        int free = java.util.stream.IntStream.range(0, s.frames()).filter(s::frameFree).findFirst().getAsInt();
        State ofMapped = s.withRunning(0, s.running(0).get().withSnapshot(Pte.valid(mapped, tlbcheck.model.Perm.RO).code()));
        State ofFree = s.withRunning(0, s.running(0).get().withSnapshot(Pte.valid(free, tlbcheck.model.Perm.RO).code()));
        assertNotEquals(words(codec, ofMapped), words(codec, ofFree), "a snapshot of the mapped frame and of a free one merged");
        for (int[] frames : orders(s.frames())) {
            int[] id = {0, 1};
            assertEquals(words(codec, ofMapped), words(codec, Renaming.of(ofMapped, id, id, frames)), java.util.Arrays.toString(frames));
        }
        long[] w = new long[codec.words()];
        codec.encodeCanonical(ofMapped, w, 0);
        assertTrue(renamings(ofMapped, codec).contains(codec.decode(w, 0)), "decodes to no renaming of " + ofMapped);

        State odd = s.withRunning(0, s.running(0).get().withSnapshot(40));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> codec.encodeCanonical(odd, new long[codec.words()], 0));
        assertTrue(e.getMessage().contains("keeps 40 in Running.snapshot, which is not a PTE code"), e.getMessage());
    }

    /**
     * Every renaming of the state in what the codec renames: each order of the CPUs, times each of the pages and of
     * the frames where the codec renames them.
     */
    private static java.util.List<State> renamings(State s, StateCodec codec) {
        java.util.List<int[]> pageOrders = codec.pagesAlike() ? orders(s.pages()) : java.util.List.of(shuffled(s.pages(), null));
        java.util.List<int[]> frameOrders = codec.framesAlike() ? orders(s.frames()) : java.util.List.of(shuffled(s.frames(), null));
        java.util.List<State> out = new java.util.ArrayList<>();
        for (int[] cpus : orders(s.cpus())) {
            for (int[] pages : pageOrders) {
                for (int[] frames : frameOrders) out.add(Renaming.of(s, cpus, pages, frames));
            }
        }
        return out;
    }

    /** A state met first with a canonical form (or orbit), and its orbit (or canonical form). */
    private record Met(java.util.List<Long> key, State state) {}

    /** A state's words in the codec's form. */
    private static java.util.List<Long> words(StateCodec codec, State s) {
        long[] w = new long[codec.words()];
        codec.encodeCanonical(s, w, 0);
        return java.util.Arrays.stream(w).boxed().toList();
    }

    /** Whether {@code a} comes before {@code b}, word by word from the last. */
    private static boolean before(java.util.List<Long> a, java.util.List<Long> b) {
        for (int i = a.size() - 1; i >= 0; i--) {
            if (!a.get(i).equals(b.get(i))) return Long.compareUnsigned(a.get(i), b.get(i)) < 0;
        }
        return false;
    }

    /** The first {@code n} states of a breadth-first search (or all of them), told apart by their unreduced words. */
    private static java.util.List<State> firstStates(Model model, StateCodec plain, int n) {
        java.util.List<State> out = new java.util.ArrayList<>();
        java.util.Set<java.util.List<Long>> seen = new java.util.HashSet<>();
        out.add(model.initial());
        seen.add(words(plain, model.initial()));
        for (int i = 0; i < out.size() && out.size() < n; i++) {
            State s = out.get(i);
            for (Step step : model.candidates()) {
                if (!step.enabled(model, s)) continue;
                State next = step.fire(model, s).after();
                if (seen.add(words(plain, next)) && out.size() < n) out.add(next);
            }
        }
        return out;
    }

    /** The variant's small scope and the reviewer's (2 CPUs, 2 pages, 3 frames). */
    private static java.util.List<Scope> scopes(Variant variant) {
        return java.util.List.of(variant.smallScope(), tlbcheck.properties.ExhaustiveCheck.reviewerScope(variant));
    }

    /** Every order of 0..n-1. */
    private static java.util.List<int[]> orders(int n) {
        java.util.List<int[]> out = new java.util.ArrayList<>();
        if (n == 0) {
            out.add(new int[0]);
            return out;
        }
        for (int[] shorter : orders(n - 1)) {
            for (int at = 0; at < n; at++) {
                int[] o = new int[n];
                for (int i = 0, j = 0; i < n; i++) o[i] = i == at ? n - 1 : shorter[j++];
                out.add(o);
            }
        }
        return out;
    }

    /**
     * The renamings are symmetries of the model, not only of the encoding: a state and a renaming of it reach the same
     * canonical successors, step for step (each step of one has a renamed counterpart in the other), on random walks
     * of every catalogued variant in its small scope and the reviewer's. A model that chose a frame by its number
     * (allocating the lowest free frame, not the head of the free list) fails here on four variants, while the test
     * of the canonical form above passes.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void renamingsReachTheSameSuccessors(Variant variant) {
        for (Scope scope : scopes(variant)) {
            Model model = new Model(variant, scope);
            StateCodec codec = new StateCodec(model, Symmetry.ALL);
            walk(model, variant.name().hashCode() + 2, 10, 80, (s, random) -> {
                Renamed renamed = Renamed.randomly(s, codec, random);
                assertEquals(successors(model, codec, s), successors(model, codec, renamed.state()),
                        () -> variant.name() + " " + scope + ": " + s + "\n" + renamed);
            });
        }
    }

    /** The canonical encodings of a state's successors, with how many steps reach each. */
    private static java.util.Map<java.util.List<Long>, Integer> successors(Model model, StateCodec codec, State s) {
        java.util.Map<java.util.List<Long>, Integer> out = new java.util.HashMap<>();
        for (Step step : model.candidates()) {
            if (!step.enabled(model, s)) continue;
            long[] w = new long[codec.words()];
            codec.encodeCanonical(step.fire(model, s).after(), w, 0);
            out.merge(java.util.Arrays.stream(w).boxed().toList(), 1, Integer::sum);
        }
        return out;
    }

    /** A state renamed at random, in what the codec renames, and how (for a failure message). */
    private record Renamed(State state, int[] cpus, int[] pages, int[] frames) {
        static Renamed randomly(State s, StateCodec codec, SplittableRandom random) {
            int[] cpus = shuffled(s.cpus(), random);
            int[] pages = shuffled(s.pages(), codec.pagesAlike() ? random : null);
            int[] frames = shuffled(s.frames(), codec.framesAlike() ? random : null);
            return new Renamed(Renaming.of(s, cpus, pages, frames), cpus, pages, frames);
        }

        @Override
        public String toString() {
            return "renamed by CPUs " + java.util.Arrays.toString(cpus) + ", pages " + java.util.Arrays.toString(pages)
                    + ", frames " + java.util.Arrays.toString(frames) + ": " + state;
        }
    }

    /** 0..n-1 in a random order, or in order without a random source. */
    private static int[] shuffled(int n, SplittableRandom random) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        for (int i = n - 1; i > 0 && random != null; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i]; a[i] = a[j]; a[j] = t;
        }
        return a;
    }

    /** Every slot a TLB can hold, two entries of different frames included, has its own code within the codec's bits. */
    @org.junit.jupiter.api.Test
    void tlbSlotCodesAreDistinctAndRoundTrip() {
        for (int frames = 1; frames <= tlbcheck.model.Scope.MAX_FRAMES; frames++) {
            java.util.List<tlbcheck.model.Pte> slots = new java.util.ArrayList<>();
            slots.add(tlbcheck.model.Pte.INVALID);
            for (int f = 0; f < frames; f++) {
                for (tlbcheck.model.Perm p : tlbcheck.model.Perm.values()) slots.add(tlbcheck.model.Pte.valid(f, p));
            }
            int singles = slots.size();
            for (int a = 1; a < singles; a++) {
                for (int b = 1; b < singles; b++) {
                    var older = (tlbcheck.model.Pte.Valid) slots.get(a);
                    var newer = (tlbcheck.model.Pte.Valid) slots.get(b);
                    if (older.frame() != newer.frame()) slots.add(tlbcheck.model.Pte.Both.of(older, newer));
                }
            }
            java.util.Set<Integer> codes = new java.util.HashSet<>();
            int bits = 32 - Integer.numberOfLeadingZeros(2 * frames + 4 * frames * (frames - 1));
            for (tlbcheck.model.Pte slot : slots) {
                int code = StateCodec.tlbCode(slot, frames);
                assertEquals(true, codes.add(code), "code " + code + " given twice, " + slot);
                assertEquals(true, code < 1 << bits, slot + " needs more than " + bits + " bits");
                assertEquals(slot, StateCodec.tlbEntry(code, frames));
            }
        }
    }
}
