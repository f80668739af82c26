package tlbcheck.explore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tlbcheck.hunt.Generator;
import tlbcheck.model.Model;
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
        Generator.Policy policy = new Generator(model).everything();
        SplittableRandom random = new SplittableRandom(variant.name().hashCode());
        int words = plain.words();
        for (int walk = 0; walk < 40; walk++) {
            State s = model.initial();
            for (int i = 0; i < 120; i++) {
                long[] a = new long[words];
                plain.encodeCanonical(s, a, 0);
                assertEquals(s, plain.decode(a, 0), () -> variant.name() + ": the unreduced encoding round-trips");
                long[] c = new long[words];
                canonical.encodeCanonical(s, c, 0);
                long[] again = new long[words];
                canonical.encodeCanonical(canonical.decode(c, 0), again, 0);
                assertArrayEquals(c, again, () -> variant.name() + ": the canonical form is a fixpoint");
                var next = policy.next(s, random);
                if (next.isEmpty()) break;
                Step step = next.get();
                s = step.fire(model, s).after();
            }
        }
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
