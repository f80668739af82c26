package tlbcheck.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The hardware by name: what a trace says it ran on, and the combinations no machine has. */
class PlatformTest {

    @Test
    void aTraceNamesOnlyTheHardwareItsScopeHas() {
        Scope noSmmu = Scope.of(2, 0, 1, 2);
        Scope smmu = Scope.of(2, 1, 1, 2);
        assertEquals("arm64", Platform.SMMU_WITHOUT_BTM.in(noSmmu));
        assertEquals("arm64+SMMUv3(no BTM)", Platform.SMMU_WITHOUT_BTM.in(smmu));
        assertEquals("arm64+SMMUv3(BTM)", Platform.SMMU_WITH_BTM.in(smmu));
        assertEquals("x86", Platform.X86.in(noSmmu));
        assertEquals("x86+IOMMU", Platform.X86.in(smmu));
        assertEquals("x86+KVM(APIC-access page)", Platform.X86_KVM.in(noSmmu));
        assertTrue(Platform.X86_KVM.x86() && Platform.x86Kvm(false).x86() && !Platform.arm64Kvm(2).x86());
    }

    @Test
    void anX86HostHasNoBtmNoBbmAndNoStage2() {
        for (Platform.Guest guest : Platform.Guest.values()) {
            assertThrows(IllegalArgumentException.class, () -> new Platform(true, 0, guest, false, true, true, false));
        }
        assertThrows(IllegalArgumentException.class, () -> new Platform(false, 2, Platform.Guest.NONE, false, true, true, false));
        assertThrows(IllegalArgumentException.class, () -> new Platform(false, 0, Platform.Guest.ARM64_STAGE2, false, true, true, false));
    }

    /** A flush is named by the host's instructions: arm64's TLBI, x86's INVLPG on the other CPUs by a shootdown IPI. */
    @Test
    void aFlushIsNamedByTheHostsInstructions() {
        Variant x86 = new Variant("V5-on-x86", "", "V5's kernel on an x86 host", Platform.X86, Variants.V5.kernel(),
                Scope.of(2, 0, 1, 2), Scope.of(2, 0, 1, 2));
        Running wrote = Running.start(0, 0, false, -1).wrote();
        var flush = tlbcheck.model.kernel.FlushTlbPage.broadcast("flush_tlb_page");
        State s = State.initial(Scope.of(2, 0, 1, 2), Platform.X86);
        assertEquals("flush_tlb_page (IPI + INVLPG)", flush.describe(new Model(x86), s, 0, wrote));
        assertEquals("flush_tlb_page (TLBI IS)", flush.describe(new Model(Variants.V5), s, 0, wrote));
        assertEquals("local (INVLPG local)", tlbcheck.model.kernel.FlushTlbPage.local("local").describe(new Model(x86), s, 0,
                wrote));
        assertEquals("tlb_finish_mmu: mm_tlb_flush_nested -> flush_tlb_mm (IPI + CR3 reload)",
                tlbcheck.model.kernel.FlushTlbMmIfNested.folded(false).describe(new Model(x86), s, 0, wrote));
    }

    /** The architecture is a name: the same kernel takes the same steps from the same state on either host. */
    @Test
    void theHostArchitectureChangesNoStep() {
        Variant arm64 = Variants.V5;
        Variant x86 = new Variant("V5-on-x86", "", "V5's kernel on an x86 host", Platform.X86, arm64.kernel(),
                arm64.scope(), arm64.smallScope());
        Model a = new Model(arm64);
        Model b = new Model(x86);
        assertEquals(a.candidates(), b.candidates());
        assertEquals(a.initial(), b.initial());
    }
}
