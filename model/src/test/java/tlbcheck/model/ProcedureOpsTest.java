package tlbcheck.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tlbcheck.model.kernel.AllocFrame;
import tlbcheck.model.kernel.ClearPte;
import tlbcheck.model.kernel.FlushTlbPage;
import tlbcheck.model.kernel.MapNewFrame;
import tlbcheck.model.kernel.MmapLock;
import tlbcheck.model.kernel.MmapUnlock;
import tlbcheck.model.kernel.Procedure;
import tlbcheck.model.kernel.PteCondition;
import tlbcheck.model.kernel.PtlLock;
import tlbcheck.model.kernel.PtlUnlock;
import tlbcheck.model.kernel.S2Change;
import tlbcheck.model.kernel.Stage2Paths;
import tlbcheck.model.kernel.TlbBatch;
import tlbcheck.model.kernel.Trigger;
import tlbcheck.model.kernel.When;
import tlbcheck.model.step.Advance;
import tlbcheck.model.step.CpuFill;
import tlbcheck.model.step.SmmuFill;
import tlbcheck.model.step.Start;
import tlbcheck.model.step.VcpuFill;

/** Procedures as the CPU steps through them: where the page-table lock is held, what traces say, which path runs. */
class ProcedureOpsTest {

    @Test
    @DisplayName("a CPU holds the page-table lock from the op after pte_offset_map_lock to pte_unmap_unlock")
    void holdsPtlAt() {
        Procedure p = Procedure.of("p", Trigger.ANY, MmapLock.READ, PtlLock.INSTANCE, ClearPte.UNMAP, PtlUnlock.INSTANCE,
                MmapUnlock.READ);
        List<Boolean> held = new ArrayList<>();
        for (int pc = 0; pc <= p.length() + 1; pc++) held.add(p.holdsPtlAt(pc));
        assertEquals(List.of(false, false, true, true, false, false, false), held);
    }

    /** Describes each Advance of CPU0's procedure until it ends. */
    private static List<String> narrate(Scenario s) {
        List<String> out = new ArrayList<>();
        while (s.state().running(0).isDefined()) {
            out.add(new Advance(0).describe(s.model(), s.state()));
            s.then(new Advance(0));
        }
        return out;
    }

    @Test
    @DisplayName("traces say what an invalidation dropped, and nothing of the kind for other ops")
    void invalidationEffects() {
        assertEquals(List.of("fault_upgrade: mmap_read_lock", "fault_upgrade: pte_offset_map_lock",
                        "fault_upgrade: set PTE RO->RW", "fault_upgrade: flush_tlb_page (TLBI IS) -> CPU1",
                        "fault_upgrade: pte_unmap_unlock", "fault_upgrade: mmap_read_unlock"),
                narrate(new Scenario(Variants.V1).then(new CpuFill(1, 0), new SmmuFill(0, 0), new Start(0, "fault_upgrade", 0, true))));
        List<String> v3 = narrate(new Scenario(Variants.V3).then(new Start(0, "fault_upgrade", 0, true)));
        assertTrue(v3.contains("fault_upgrade: flush_tlb_page (TLBI IS) -> nothing cached"), v3.toString());
    }

    @Test
    @DisplayName("a skipped branch lists the ops it skipped, not the silent ones among them")
    void skippedBranch() {
        Procedure p = Procedure.of("fill_hole", Trigger.ANY, MmapLock.READ,
                When.of(PteCondition.INVALID, AllocFrame.INSTANCE, TlbBatch.FLUSH_PENDING, MapNewFrame.INSTANCE),
                MmapUnlock.READ);
        Variant v = Variants.V5.withKernel("V5+fill_hole", "test", Variants.V5.kernel().plus(p));
        assertEquals(List.of("fill_hole: mmap_read_lock; skipped alloc frame, set PTE to new frame (PTE is f0/RO: not pte_none)",
                "fill_hole: mmap_read_unlock"), narrate(new Scenario(v).then(new Start(0, "fill_hole", 0, false))));
    }

    @Test
    @DisplayName("a FEAT_BBM level 2 path on hardware without level 2 takes the classic branch, with its break")
    void bbm2BranchOnOlderHardware() {
        // Built here, not taken from Variants: the flattening of the branch is what is tested.
        tlbcheck.model.kernel.Kernel guarded = Stage2Paths.kernel("bbm2-is", Stage2Paths.guarded(Stage2Paths.skipBreak(true)));
        Variant v12OnLevel0 = new Variant("V12-on-bbm0", "", "V12's kernel without FEAT_BBM level 2", Platform.arm64Kvm(0),
                guarded, Variants.ARM64_KVM_SCOPE, Variants.ARM64_KVM_SCOPE);
        List<String> split = narrate(new Scenario(v12OnLevel0).then(new VcpuFill(1, -1), new Start(0, "s2_split", 0, false)));
        assertEquals(List.of("s2_split: read stage-2 entry", "s2_split: CAS stage-2 entry -> invalid (break)",
                "s2_split: __kvm_tlb_flush_vmid_ipa (TLBI IPAS2E1IS) -> vCPU1", "s2_split: write new stage-2 entry (make)"), split);
        List<String> onBbm2 = narrate(new Scenario(Variants.V12.withKernel("V12", "V12", guarded)).then(new VcpuFill(1, -1), new Start(0, "s2_split", 0, false)));
        assertEquals(List.of("s2_split: read stage-2 entry", "s2_split: CAS stage-2 entry old -> new (no break); skipped read"
                + " stage-2 entry, CAS stage-2 entry -> invalid (break), __kvm_tlb_flush_vmid_ipa (TLBI IPAS2E1IS), write new"
                + " stage-2 entry (make) (the other branch ran)"), onBbm2);
    }

    /** Whether CPU0's run of the procedure passes through a broken (locked) stage-2 entry: the break of break-before-make. */
    private static boolean breaks(Variant v, String procedure, int page, Scenario s) {
        s.then(new Start(0, procedure, page, false));
        boolean broke = false;
        while (s.state().running(0).isDefined()) {
            s.then(new Advance(0));
            Kvm k = s.state().kvm();
            broke |= k.s2Block() == Pte.LOCKED || k.s2().exists(e -> e == Pte.LOCKED);
        }
        return broke;
    }

    @Test
    @DisplayName("classic stage-2 updates break a change of address or size and change permissions in place")
    void classicBreaksWhereTheArchitectureRequires() {
        Variant v = Variants.V10.withKernel("V10", "V10's kernel, built here", Stage2Paths.kernel("bbm", Stage2Paths::classic));
        assertTrue(breaks(v, "s2_split", 0, new Scenario(v)), "split");
        Scenario pages = new Scenario(v).then(new Start(0, "s2_split", 0, false)).finish(0);
        assertFalse(breaks(v, "s2_wrprotect", 1, pages), "write-protect");
        assertEquals(Pte.valid(1, Perm.RO), pages.state().kvm().s2().get(1));
        assertFalse(breaks(v, "s2_relax", 1, pages), "relax");
        assertEquals(Pte.valid(1, Perm.RW), pages.state().kvm().s2().get(1));
        Scenario collapse = new Scenario(v).then(new Start(0, "s2_split", 0, false)).finish(0);
        assertTrue(breaks(v, "s2_collapse", 0, collapse), "collapse");
        assertEquals(Pte.valid(0, Perm.RW), collapse.state().kvm().s2Block());
        assertTrue(collapse.state().kvm().s2().forAll(Pte::none), "the page entries gave way to the block");
        assertTrue(breaks(v, "s2_unmap", 1, pages), "unmap");
        assertTrue(pages.state().frameFree(1), "the unmap freed the frame");
        assertFalse(breaks(v, "s2_map", 1, pages), "a first map needs no break");
        assertEquals(Pte.valid(1, Perm.RW), pages.state().kvm().s2().get(1));
        assertEquals(4, Stage2Paths.breakAlways(S2Change.WRPROTECT).length, "the stronger protocol breaks permissions too");
    }

    @Test
    @DisplayName("a collapse's CAS reads every page entry: a change to any of them fails it")
    void collapseReadsEveryEntry() {
        Kvm k = new Scenario(Variants.V10).then(new Start(0, "s2_split", 0, false)).finish(0).state().kvm();
        int code = S2Change.COLLAPSE.read(k, 0);
        assertNotEquals(code, S2Change.COLLAPSE.read(k.withS2(0, Pte.valid(0, Perm.RO)), 0), "page 0 changed");
        assertNotEquals(code, S2Change.COLLAPSE.read(k.withS2(1, Pte.valid(1, Perm.RO)), 0), "page 1 changed");
        assertEquals(k.s2Block().code(), S2Change.SPLIT.read(k, 0));
        assertEquals(31, S2Change.WRPROTECT.read(k.withS2Block(Pte.valid(0, Perm.RW)), 1), "a detached table's entry");
        assertEquals(k.s2().get(1).code(), S2Change.WRPROTECT.read(k, 1));
    }

    @Test
    @DisplayName("clear PTE: a zap of a range, a migration entry, an entry the zap finds already clear")
    void clearPte() {
        Model m = new Model(Variants.V5, Scope.of(2, 1, 3, 4).withRange(3));
        State s = m.fire(m.fire(m.initial(), new CpuFill(1, 0)).after(), new CpuFill(1, 2)).after();
        Running r = Running.start(0, 0, 3, false, -1);
        State zapped = ClearPte.UNMAP.apply(m, s.withRunning(0, r), 0, r);
        assertTrue(zapped.pte(0).none() && zapped.pte(1).none() && zapped.pte(2).none());
        Running after = zapped.running(0).get();
        assertArrayEquals(new int[] {0, 1, 2}, after.oldFrameList(), "frames 0, 1 and 2 to free, in address order");
        assertEquals(Running.cpuBit(1), after.owedOn(0));
        assertEquals(0, after.owedOn(1), "nobody cached page 1");
        assertEquals(Running.cpuBit(1), after.owedOn(2));
        assertTrue(after.wrotePte());

        Running mig = Running.start(0, 0, 3, false, -1);
        State migrated = ClearPte.MIGRATION.apply(m, s.withRunning(0, mig), 0, mig);
        assertEquals(Pte.Migration.of(0), migrated.pte(0));
        assertEquals(Pte.valid(1, Perm.RO), migrated.pte(1), "migration entries go in one page at a time");
        assertEquals("set migration entry", ClearPte.MIGRATION.name());
        assertEquals("clear PTE", ClearPte.UNMAP.name());
        assertEquals("clear PTE", ClearPte.RMAP_UNMAP.describe(m, s, 0, r));
        assertEquals("clear PTE", ClearPte.UNMAP.describe(m, s, 0, r));
        assertEquals("clear PTE of p2, not p0: its page table moved there", ClearPte.UNMAP.describe(m, s, 0, r.withPtep(2)));

        // A zap that finds page 0 already cleared by another zap still owing its flush takes that flush on.
        Running other = Running.start(0, 0, 1, false, -1).wrote().owes(Running.cpuBit(1));
        State cleared = s.withPte(0, Pte.INVALID).withRunning(1, other);
        Running one = Running.start(0, 0, 1, false, -1);
        assertEquals("clear PTE: already clear, takes on the flush another zap still owes",
                ClearPte.UNMAP.describe(m, cleared.withRunning(0, one), 0, one));
        assertEquals(Running.cpuBit(1), ClearPte.UNMAP.apply(m, cleared.withRunning(0, one), 0, one).running(0).get().owedOn(0));
        assertEquals(0, ClearPte.RMAP_UNMAP.apply(m, cleared.withRunning(0, one), 0, one).running(0).get().owedOn(0),
                "an rmap walker promises nothing about a mapping it did not find");
        assertEquals("PTE already clear (-)", ClearPte.UNMAP.skipReason(m, cleared, 0, one));
        assertEquals("every PTE of the range already clear", ClearPte.UNMAP.skipReason(m, cleared, 0, r));
        // A zap clears a migration entry; an rmap walker leaves it to the migration.
        State withMig = s.withPte(0, Pte.Migration.of(0)).withRunning(0, one);
        assertEquals(Pte.INVALID, ClearPte.UNMAP.apply(m, withMig, 0, one).pte(0));
        assertEquals(Pte.Migration.of(0), ClearPte.RMAP_UNMAP.apply(m, withMig, 0, one).pte(0));
    }

    /** mmap_write_trylock takes a free lock and goes on; held, it gives up and the procedure returns having done nothing. */
    @Test
    @DisplayName("a trylock takes the mmap lock if it is free, and otherwise the procedure gives up at once")
    void trylockGivesUp() {
        tlbcheck.model.kernel.Procedure collapse = tlbcheck.model.kernel.Procedure.of("collapse",
                tlbcheck.model.kernel.Trigger.PTE_VALID, tlbcheck.model.kernel.MmapTryLock.WRITE,
                tlbcheck.model.kernel.PtlLock.INSTANCE, tlbcheck.model.kernel.ClearPte.UNMAP,
                tlbcheck.model.kernel.PtlUnlock.INSTANCE, tlbcheck.model.kernel.MmapUnlock.WRITE);
        Variant v = Variants.V5.withKernel("trylock", "khugepaged's trylock", Variants.V5.kernel().plus(collapse));
        Scenario free = new Scenario(v).then(new Start(0, "collapse", 0, false), new tlbcheck.model.step.Advance(0));
        assertTrue(free.state().locks().mmapWriter(), "taken");
        assertEquals(1, free.state().running(0).get().pc());
        Scenario held = new Scenario(v).then(new Start(1, "fault_upgrade", 0, true), new tlbcheck.model.step.Advance(1),
                new Start(0, "collapse", 0, false));
        String text = new tlbcheck.model.step.Advance(0).describe(held.model(), held.state());
        held.then(new tlbcheck.model.step.Advance(0));
        assertTrue(held.state().running(0).isEmpty(), "gave up: the procedure returned");
        assertEquals(1, held.state().locks().mmapReaders(), "the reader's lock untouched");
        assertTrue(held.state().pte(0).present(), "nothing done");
        assertEquals("collapse: mmap_write_trylock; skipped pte_offset_map_lock, clear PTE, pte_unmap_unlock,"
                + " mmap_write_unlock (the mmap lock is held for read: gives up)", text);
        // For read, a reader beside it is no reason to give up; a writer is.
        tlbcheck.model.kernel.Procedure reader = tlbcheck.model.kernel.Procedure.of("reader",
                tlbcheck.model.kernel.Trigger.PTE_VALID, tlbcheck.model.kernel.MmapTryLock.READ,
                tlbcheck.model.kernel.PtlLock.INSTANCE, tlbcheck.model.kernel.ClearPte.UNMAP,
                tlbcheck.model.kernel.PtlUnlock.INSTANCE, tlbcheck.model.kernel.MmapUnlock.READ);
        Variant r = Variants.V5.withKernel("trylock-read", "a read trylock", Variants.V5.kernel().plus(reader));
        Scenario shared = new Scenario(r).then(new Start(1, "fault_upgrade", 0, true), new tlbcheck.model.step.Advance(1),
                new Start(0, "reader", 0, false), new tlbcheck.model.step.Advance(0));
        assertEquals(2, shared.state().locks().mmapReaders(), "two readers");
        assertEquals("mmap_read_trylock", tlbcheck.model.kernel.MmapTryLock.READ.name());
        assertEquals("the mmap lock is held for write: gives up", tlbcheck.model.kernel.MmapTryLock.READ.skipReason(
                shared.model(), shared.state().withLocks(shared.state().locks().withMmapReaders(0).withMmapWriter(true)),
                0, shared.state().running(0).get()));
        // Taking and dropping locks alone does nothing: a trylock is bookkeeping, like the lock it tries.
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> tlbcheck.model.kernel.Procedure.of(
                "nothing", tlbcheck.model.kernel.Trigger.ANY, tlbcheck.model.kernel.MmapTryLock.WRITE,
                tlbcheck.model.kernel.MmapUnlock.WRITE));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> tlbcheck.model.kernel.Procedure.of(
                "nothing", tlbcheck.model.kernel.Trigger.ANY, tlbcheck.model.kernel.MmapLock.READ,
                tlbcheck.model.kernel.OrigPte.INSTANCE, tlbcheck.model.kernel.MmapUnlock.READ));
    }

    @Test
    @DisplayName("without(op) deletes a line, wherever it is, and a check that jumps over it jumps over one op fewer")
    void withoutDeletesALine() {
        tlbcheck.model.kernel.MmPaths paths = tlbcheck.model.kernel.MmPaths.LINUX_6_6;
        Procedure wp = paths.procedure("write_protect");
        Procedure reverted = wp.without(tlbcheck.model.kernel.TlbBatch.FLUSH_PENDING);
        assertEquals(wp.length() - 1, reverted.length());
        assertTrue(!reverted.ops().exists(op -> op.unwrapped() == tlbcheck.model.kernel.TlbBatch.FLUSH_PENDING));
        // fault_upgrade: if (READ_ONLY) { ptep_set_access_flags' write, flush, notify }: drop the flush inside the check.
        Procedure upgrade = paths.procedure("fault_upgrade");
        tlbcheck.model.kernel.SkipUnless check = (tlbcheck.model.kernel.SkipUnless) upgrade.ops()
                .find(op -> op instanceof tlbcheck.model.kernel.SkipUnless).get();
        tlbcheck.model.kernel.Op flush = upgrade.ops().find(op -> op.unwrapped() instanceof tlbcheck.model.kernel.FlushTlbPage).get();
        Procedure noFlush = upgrade.without(flush);
        tlbcheck.model.kernel.SkipUnless shorter = (tlbcheck.model.kernel.SkipUnless) noFlush.ops()
                .find(op -> op instanceof tlbcheck.model.kernel.SkipUnless).get();
        assertEquals(check.skip() - 1, shorter.skip());
        assertEquals(upgrade.length() - 1, noFlush.length());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> upgrade.without(tlbcheck.model.kernel.TlbBatch.FLUSH_PENDING));
        assertTrue(none.getMessage().startsWith("fault_upgrade has no op "), none.getMessage());
        assertThrows(IllegalArgumentException.class, () -> upgrade.without(check));
    }
}
