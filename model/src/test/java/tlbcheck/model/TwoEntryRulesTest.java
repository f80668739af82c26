package tlbcheck.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vavr.control.Option;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tlbcheck.model.invariant.BreakBeforeMake;
import tlbcheck.model.invariant.NoUseAfterFree;
import tlbcheck.model.invariant.Violation;
import tlbcheck.model.step.CpuFill;

/**
 * The rules that read a TLB slot holding two entries ({@link Pte.Both}): break-before-make on stage 1 reports the
 * owner it finds them in (CPU, SMMU or vCPU) and nothing for a single stale entry, its racy state is a cached entry of
 * another frame than the PTE's, and no-use-after-free sees a freed frame behind either entry, frame 0 included.
 */
class TwoEntryRulesTest {

    private static final Pte.Valid F0 = (Pte.Valid) Pte.valid(0, Perm.RO);
    private static final Pte.Valid F1 = (Pte.Valid) Pte.valid(1, Perm.RW);
    private static final Pte.Valid F2 = (Pte.Valid) Pte.valid(2, Perm.RO);

    private final Model smmu = new Model(Variants.V5, Scope.of(2, 1, 2, 3));
    private final Model guest = new Model(new Variant("host-mm", "", "arm64 KVM on the host mm",
            Platform.arm64KvmOnHostMm(0), Variants.V10.kernel(), Scope.of(2, 0, 2, 3), Scope.of(2, 0, 2, 3)));

    private static Transition to(State before, State after) {
        return Transition.of(before, new CpuFill(0, 0), after);
    }

    private static String text(Option<Violation> v) {
        assertTrue(v.isDefined(), "no violation");
        return v.get().toString();
    }

    @Test
    @DisplayName("a pair in an SMMU's TLB alone is a conflict on that SMMU, for that page")
    void smmuPair() {
        State s = smmu.initial();
        State after = s.withPte(1, F2).withSmmuTlb(0, 1, Pte.Both.of(F1, F2));
        String v = text(BreakBeforeMake.INSTANCE.check(smmu, to(s, after)));
        assertTrue(v.contains("TLB conflict on SMMU0: page 1") && v.contains("f1/RW, cached, and f2/RO"), v);
    }

    @Test
    @DisplayName("a pair in a CPU's TLB for the second page names that CPU and page")
    void cpuPairOnSecondPage() {
        State s = smmu.initial();
        State after = s.withPte(1, F2).withCpuTlb(1, 1, Pte.Both.of(F1, F2));
        String v = text(BreakBeforeMake.INSTANCE.check(smmu, to(s, after)));
        assertTrue(v.contains("TLB conflict on CPU1: page 1"), v);
    }

    @Test
    @DisplayName("a pair in a vCPU's TLB is a conflict on that vCPU, for that guest page")
    void vcpuPair() {
        State s = guest.initial();
        Kvm k = s.kvm().withS2(1, F1).withVcpuTlb(1, 1, F1).withS2(1, F2);
        assertEquals(Pte.Both.of(F1, F2), k.vcpuTlb(1, 1));
        String v = text(BreakBeforeMake.INSTANCE.check(guest, to(s, s.withKvm(k))));
        assertTrue(v.contains("TLB conflict on vCPU1: guest page 1"), v);
    }

    @Test
    @DisplayName("a block and a page entry of one frame: allowed at level 2 with no-abort, a possible abort without it")
    void sizeOnlyOverlapNamesTheAbort() {
        for (Platform p : new Platform[] {Platform.arm64Kvm(2), Platform.arm64Kvm(2).mayRaiseConflictAbort(), Platform.arm64Kvm(0)}) {
            Model m = new Model(new Variant("bbm", "", "stage 2", p, Variants.V12.kernel(), Scope.of(2, 0, 2, 3),
                    Scope.of(2, 0, 2, 3)));
            State s = m.initial();
            Kvm blockCached = s.kvm().withVcpuBlock(1, s.kvm().s2Block());
            Kvm k = blockCached.withVcpuTlb(1, 1, blockCached.blockMapping(1, 1));
            Option<Violation> v = BreakBeforeMake.INSTANCE.check(m, to(s, s.withKvm(k)));
            if (p.sizeChangeWithoutBreak()) {
                assertTrue(v.isEmpty(), p + ": " + v);
                continue;
            }
            String text = text(v);
            assertTrue(text.contains("TLB conflict on vCPU1: guest page 1") && text.contains("only the size differs"), text);
            assertEquals(p.bbm2(), text.contains("without it: a TLB conflict abort is possible"), p + ": " + text);
        }
    }

    @Test
    @DisplayName("one stale entry of another frame is no conflict (invariants 2 and 3 judge it), but it is the racy state")
    void oneStaleEntryIsRacyNotAConflict() {
        State s = smmu.initial();
        State stale = s.withCpuTlb(0, 1, F1).withPte(1, Pte.INVALID).withPte(1, F2);
        assertEquals(F1, stale.cpuTlb(0, 1), "a make after a break keeps one entry");
        assertTrue(BreakBeforeMake.INSTANCE.check(smmu, to(s, stale)).isEmpty());
        assertTrue(BreakBeforeMake.INSTANCE.racy(smmu, to(s, stale)), "a CPU caches f1 while the PTE maps f2");
        State sameFrame = s.withCpuTlb(0, 1, s.pte(1));
        assertFalse(BreakBeforeMake.INSTANCE.racy(smmu, to(s, sameFrame)), "the cached entry is the PTE's");
        State unmapped = s.withCpuTlb(0, 1, s.pte(1)).withPte(1, Pte.INVALID);
        assertFalse(BreakBeforeMake.INSTANCE.racy(smmu, to(s, unmapped)),
                "an entry of an unmapped page with no procedure in flight cannot meet a second one");
    }

    @Test
    @DisplayName("no-use-after-free sees a freed frame behind the older or the newer entry of a pair, frame 0 too")
    void freedFrameBehindEitherEntry() {
        State s = smmu.initial();
        State olderFreed = s.withPte(0, F1).withCpuTlb(0, 0, Pte.Both.of(F0, F1)).withFrame(1, true).withFrame(0, false);
        assertTrue(text(NoUseAfterFree.INSTANCE.check(smmu, to(s, olderFreed))).contains("frame 0 was freed while CPU0's TLB entry"));
        State newerFreed = s.withPte(0, F0).withSmmuTlb(0, 0, Pte.Both.of(F2, F0)).withFrame(2, true).withFrame(0, false)
                .withPte(0, F2);
        String v = text(NoUseAfterFree.INSTANCE.check(smmu, to(s, newerFreed)));
        assertTrue(v.contains("frame 0 was freed while SMMU0's TLB entry for page 0"), v);
        State pteToFreed = s.withFrame(1, false);
        assertTrue(text(NoUseAfterFree.INSTANCE.check(smmu, to(s, pteToFreed))).contains("frame 1 was freed while the PTE of page 1"));
        assertTrue(text(NoUseAfterFree.INSTANCE.check(smmu, to(s, s.withFrame(0, false))))
                .contains("frame 0 was freed while the PTE of page 0"));
        State g = guest.initial();
        State vcpuToFreed = g.withPte(0, F2).withFrame(2, true).withFrame(0, false)
                .withKvm(g.kvm().withVcpuTlb(1, 0, F0));
        v = text(NoUseAfterFree.INSTANCE.check(guest, to(g, vcpuToFreed)));
        assertTrue(v.contains("frame 0 was freed while vCPU1's TLB entry for guest page 0"), v);
        State bothInUse = s.withPte(0, F1).withCpuTlb(0, 0, Pte.Both.of(F0, F1)).withFrame(1, true);
        assertTrue(NoUseAfterFree.INSTANCE.check(smmu, to(s, bothInUse)).isEmpty());
        // Frame 2 is free from the start: a frame other than 0 behind either entry.
        assertTrue(s.frameFree(2) && !s.frameFree(0));
        v = text(NoUseAfterFree.INSTANCE.check(smmu, to(s, s.withCpuTlb(1, 0, Pte.Both.of(F2, F0)))));
        assertTrue(v.contains("frame 2 was freed while CPU1's TLB entry for page 0"), v);
        v = text(NoUseAfterFree.INSTANCE.check(smmu, to(s, s.withCpuTlb(1, 0, Pte.Both.of(F0, F2)))));
        assertTrue(v.contains("frame 2 was freed while CPU1's TLB entry for page 0"), v);
    }

    @Test
    @DisplayName("a pair translates through its older entry and prints both")
    void pairValues() {
        Pte.Both b = Pte.Both.of(F0, F1);
        assertEquals(0, b.frame());
        assertFalse(b.permits(true), "the older entry is read-only, whatever the newer allows");
        assertTrue(b.permits(false));
        assertTrue(Pte.Both.of(F1, F0).permits(true));
        assertEquals("f0/RO+f1/RW", b.toString());
        assertTrue(b.reaches(1) && b.reaches(0) && !b.reaches(2));
        assertEquals(1, Pte.Both.of(F1, F0).frame());
        assertEquals("access to the old frame f0", b.beyond(F1).get(), "the older entry is stale");
        assertEquals("access to the old frame f2", Pte.Both.of(F1, F2).beyond(F1).get(), "then the newer one");
        assertTrue(Pte.Both.of(F1, F2).beyond(F1).isDefined());
        // Every pair has its own code, and the code gives the pair back.
        java.util.Set<Integer> codes = new java.util.HashSet<>();
        for (int f = 0; f < 4; f++) {
            for (int g = 0; g < 4; g++) {
                if (f == g) continue;
                for (Perm p : Perm.values()) {
                    Pte.Both pair = Pte.Both.of((Pte.Valid) Pte.valid(f, p), (Pte.Valid) Pte.valid(g, Perm.RO));
                    assertEquals(pair, Pte.fromCode(pair.code()));
                    assertTrue(codes.add(pair.code()), "two pairs share code " + pair.code());
                }
            }
        }
    }
}
