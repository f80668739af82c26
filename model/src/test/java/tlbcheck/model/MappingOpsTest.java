package tlbcheck.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tlbcheck.model.kernel.FreeOldFrame;
import tlbcheck.model.kernel.KvmInstallS2;
import tlbcheck.model.kernel.S2Change;
import tlbcheck.model.kernel.S2Make;
import tlbcheck.model.kernel.TlbFlushPending;
import tlbcheck.model.step.Start;
import tlbcheck.model.step.VcpuFill;

/** The ops that map, install, free and count: what they write, and when they make the CPU wait. */
class MappingOpsTest {

    @Test
    @DisplayName("a migration of page 0 ends with page 0 on the new frame and frame 0 free")
    void migrationOfFrameZero() {
        Scenario s = new Scenario(Variants.V5).then(new Start(0, "migrate", 0, false)).finish(0);
        assertEquals(Pte.valid(2, Perm.RO), s.state().pte(0), "copied to the frame at the head of the free list");
        assertTrue(s.state().frameFree(0));
        assertFalse(s.state().frameFree(2));
        // The copy of page 1 lands in frame 0 once page 0's unmap freed it.
        Scenario intoZero = new Scenario(Variants.V5).then(new Start(0, "unmap", 0, false)).finish(0)
                .then(new Start(0, "migrate", 1, false)).finish(0);
        assertEquals(Pte.valid(0, Perm.RO), intoZero.state().pte(1));
        assertTrue(intoZero.state().frameFree(1));
    }

    @Test
    @DisplayName("free old frame: each unmapped frame nothing else maps or holds; the reasons it keeps one")
    void freeOldFrame() {
        Model m = new Model(Variants.V5.withScope(Scope.of(2, 1, 3, 4).withAliases(1)));
        State s = m.initial(); // page 2 maps frame 0 again
        Running r = Running.start(0, 0, false, -1).withOldFrame(0).plusOldFrame(1);
        State freed = FreeOldFrame.INSTANCE.apply(m, s.withPte(0, Pte.INVALID).withPte(1, Pte.INVALID).withRunning(0, r), 0, r);
        assertFalse(freed.frameFree(0), "page 2 still maps frame 0");
        assertTrue(freed.frameFree(1));
        assertEquals(0, freed.running(0).get().oldFrames());
        assertEquals("f0 is still mapped (an alias); f1 is still held by another unmap",
                FreeOldFrame.INSTANCE.skipReason(m, s.withPte(1, Pte.INVALID), 0, r));
        assertEquals("no frame was unmapped", FreeOldFrame.INSTANCE.skipReason(m, s, 0, Running.start(0, 0, false, -1)));
        assertEquals("free old frame", FreeOldFrame.INSTANCE.name());
        // Another unmap in flight still holds frame 1: it frees it itself.
        State held = s.withPte(1, Pte.INVALID).withRunning(1, Running.start(0, 1, false, -1).withOldFrame(1)).withRunning(0, r);
        assertFalse(FreeOldFrame.INSTANCE.apply(m, held, 0, r).frameFree(1));
    }

    @Test
    @DisplayName("a range zap's frames are freed in address order: the last page's frame heads the free list, whatever its number")
    void freedInAddressOrder() {
        Model m = new Model(Variants.V5, Scope.of(1, 1, 2, 3).withRange(2));
        State s = m.initial(); // page 0 maps frame 0, page 1 frame 1
        State swapped = s.withPte(0, Pte.valid(1, Perm.RO)).withPte(1, Pte.valid(0, Perm.RO));
        for (State before : java.util.List.of(s, swapped)) {
            Running r = Running.start(0, 0, 2, false, -1);
            State zapped = tlbcheck.model.kernel.ClearPte.UNMAP.apply(m, before.withRunning(0, r), 0, r);
            Running z = zapped.running(0).get();
            assertEquals(before.pte(0).frame(), z.oldFrameList()[0], "page 0's frame was unmapped first");
            State freed = FreeOldFrame.INSTANCE.apply(m, zapped, 0, z);
            assertEquals(1, freed.freeRank().get(before.pte(1).frame()), "page 1's frame, freed last, is taken first");
            assertEquals(2, freed.freeRank().get(before.pte(0).frame()));
        }
        // An alias maps a frame twice; the list holds it once.
        Running twice = Running.start(0, 0, 2, false, -1).plusOldFrame(2).plusOldFrame(2);
        assertArrayEquals(new int[] {2}, twice.oldFrameList());
        assertEquals(2, twice.oldFrame());
        assertEquals(-1, twice.plusOldFrame(0).oldFrame(), "two frames: no single one");
        assertTrue(twice.unmapped(2) && !twice.unmapped(0) && !twice.unmapped(-1));
        Running two = twice.plusOldFrame(0);
        assertTrue(two.unmapped(2) && two.unmapped(0) && !two.unmapped(1), "the second frame of the list is held too");
    }

    @Test
    @DisplayName("installing a stage-2 entry over a different one flushes the vCPUs; over the same one, nothing")
    void installOverAnEntry() {
        Scenario s = new Scenario(Variants.V7).then(new Start(1, "kvm_fault_in", 0, false)).finish(1).then(new VcpuFill(1, 0));
        Model m = s.model();
        assertEquals(Pte.valid(0, Perm.RO), s.state().kvm().vcpuTlb(1, 0));
        Running same = Running.start(0, 0, false, -1).withNewFrame(0);
        assertEquals(Pte.valid(0, Perm.RO), KvmInstallS2.INSTANCE.apply(m, s.state().withRunning(0, same), 0, same).kvm().vcpuTlb(1, 0));
        Running other = Running.start(0, 0, false, -1).withNewFrame(1);
        State replaced = KvmInstallS2.INSTANCE.apply(m, s.state().withRunning(0, other), 0, other);
        assertEquals(Pte.valid(1, Perm.RO), replaced.kvm().s2().get(0));
        assertEquals(Pte.INVALID, replaced.kvm().vcpuTlb(1, 0), "kvm_flush_remote_tlbs");
        Running writable = Running.start(0, 0, true, -1).withNewFrame(0);
        assertEquals(Pte.valid(0, Perm.RW), KvmInstallS2.INSTANCE.apply(m, s.state().withRunning(0, writable), 0, writable)
                .kvm().s2().get(0));
        Running nothing = Running.start(0, 0, false, -1);
        assertEquals("the PTE maps nothing: no frame to install", KvmInstallS2.INSTANCE.skipReason(m, s.state(), 0, nothing));
        assertEquals("a stage-2 block maps the range: the walk ends at the block, -EAGAIN",
                KvmInstallS2.INSTANCE.skipReason(m, s.state(), 0, same));
    }

    @Test
    @DisplayName("ops that wait: a stage-2 map for a free frame, and the mmu_gather counter within its bounds")
    void opsThatWait() {
        Model m = new Model(Variants.V10);
        State full = m.initial();
        for (int f = 0; f < full.frames(); f++) full = full.withFrame(f, true);
        Running r = Running.start(0, 0, false, -1);
        S2Make map = new S2Make(S2Change.MAP, true);
        assertEquals("no frame is free", map.refusal(m, full, 0, r).get());
        assertFalse(map.ready(m, full, 0, r));
        assertTrue(map.ready(m, m.initial(), 0, r));
        State onlyFrameZero = full.withFrame(0, false);
        assertTrue(map.refusal(m, onlyFrameZero, 0, r).isEmpty() && map.ready(m, onlyFrameZero, 0, r), "frame 0 is a frame too");
        S2Make split = new S2Make(S2Change.SPLIT, false);
        assertTrue(split.refusal(m, full, 0, r).isEmpty() && split.ready(m, full, 0, r), "only a map needs a frame");

        State zero = m.initial();
        State bound = zero.withLocks(zero.locks().withTlbFlushPending(Locks.MAX_TLB_FLUSH_PENDING));
        State below = zero.withLocks(zero.locks().withTlbFlushPending(Locks.MAX_TLB_FLUSH_PENDING - 1));
        assertEquals("tlb_flush_pending is 0: a dec without its inc", TlbFlushPending.DEC.refusal(m, zero, 0, r).get());
        assertFalse(TlbFlushPending.DEC.ready(m, zero, 0, r));
        assertTrue(TlbFlushPending.DEC.ready(m, below, 0, r) && TlbFlushPending.INC.ready(m, below, 0, r));
        assertTrue(TlbFlushPending.INC.refusal(m, bound, 0, r).get().startsWith("tlb_flush_pending is at the model's bound"));
        assertFalse(TlbFlushPending.INC.ready(m, bound, 0, r));
        assertEquals(Locks.MAX_TLB_FLUSH_PENDING, TlbFlushPending.INC.apply(m, below.withRunning(0, r), 0, r).locks().tlbFlushPending());
        assertEquals(Locks.MAX_TLB_FLUSH_PENDING - 2, TlbFlushPending.DEC.apply(m, below.withRunning(0, r), 0, r).locks().tlbFlushPending());
        assertEquals("inc_tlb_flush_pending", TlbFlushPending.INC.name());
        assertEquals("dec_tlb_flush_pending", TlbFlushPending.DEC.name());
    }

    @Test
    @DisplayName("the fault path's frame: allocated before the lock, mapped under it, given back when another path mapped first")
    void faultPathFrames() {
        Model m = new Model(Variants.V5);
        State s = m.initial().withPte(0, Pte.INVALID).withFrame(0, false);
        Running write = Running.start(0, 0, true, -1);
        State mapped = tlbcheck.model.kernel.MapNewFrame.INSTANCE.apply(m, s.withRunning(0, write), 0, write);
        assertEquals(Pte.valid(0, Perm.RW), mapped.pte(0), "no frame allocated before: the head of the free list, writable");
        assertEquals(0, mapped.running(0).get().newFrame());
        Running read = Running.start(0, 0, false, -1).withNewFrame(0);
        assertEquals(Pte.valid(0, Perm.RO), tlbcheck.model.kernel.MapNewFrame.INSTANCE.apply(m, s.withFrame(0, true).withRunning(0, read), 0, read).pte(0));
        State full = s.withFrame(0, true).withFrame(2, true);
        assertEquals(Pte.INVALID, tlbcheck.model.kernel.MapNewFrame.INSTANCE.apply(m, full.withRunning(0, write), 0, write).pte(0),
                "no frame: nothing mapped, the access faults again");
        assertEquals(1, tlbcheck.model.kernel.MapNewFrame.INSTANCE.apply(m, full.withRunning(0, write), 0, write).running(0).get().pc());

        assertTrue(tlbcheck.model.kernel.AllocFrame.INSTANCE.ready(m, s, 0, write));
        assertFalse(tlbcheck.model.kernel.AllocFrame.INSTANCE.ready(m, full, 0, write));
        assertEquals("no frame is free", tlbcheck.model.kernel.AllocFrame.INSTANCE.refusal(m, full, 0, write).get());
        State allocated = tlbcheck.model.kernel.AllocFrame.INSTANCE.apply(m, s.withRunning(0, write), 0, write);
        assertEquals(0, allocated.running(0).get().newFrame());
        assertFalse(allocated.frameFree(0));

        // Another path mapped page 0 with frame 1 first: the frame this one allocated (0) goes back.
        Running holding = Running.start(0, 0, true, -1).withNewFrame(0);
        State other = s.withFrame(0, true).withPte(0, Pte.valid(1, Perm.RO)).withRunning(0, holding);
        State released = tlbcheck.model.kernel.ReleaseUnusedFrame.INSTANCE.apply(m, other, 0, holding);
        assertTrue(released.frameFree(0));
        assertEquals(-1, released.running(0).get().newFrame());
        State own = s.withFrame(0, true).withPte(0, Pte.valid(0, Perm.RW)).withRunning(0, holding);
        assertFalse(tlbcheck.model.kernel.ReleaseUnusedFrame.INSTANCE.apply(m, own, 0, holding).frameFree(0), "its own mapping");
    }

    @Test
    @DisplayName("KVM's range start zaps the range's stage-2 entries, a block that covers it, and the vCPU TLBs")
    void kvmRangeStart() {
        Model arm = new Model(Variants.V10);
        Running r = Running.start(0, 1, false, -1);
        State block = new Scenario(Variants.V10).then(new VcpuFill(1, -1)).state().withRunning(0, r);
        State zapped = tlbcheck.model.kernel.KvmInvalidateRangeStart.INSTANCE.apply(arm, block, 0, r);
        assertEquals(Pte.INVALID, zapped.kvm().s2Block());
        assertEquals(Pte.INVALID, zapped.kvm().vcpuBlocks().get(1));
        assertEquals(1, zapped.kvm().invalidating());
        State pages = new Scenario(Variants.V7).then(new Start(1, "kvm_fault_in", 0, false)).finish(1).then(new VcpuFill(1, 0)).state();
        Running r0 = Running.start(0, 0, false, -1);
        State x86 = tlbcheck.model.kernel.KvmInvalidateRangeStart.INSTANCE.apply(new Model(Variants.V7), pages.withRunning(0, r0), 0, r0);
        assertEquals(Pte.INVALID, x86.kvm().s2().get(0));
        assertEquals(Pte.INVALID, x86.kvm().vcpuTlb(1, 0));
    }

    @Test
    @DisplayName("a write-protect held to the batch contract takes on the flush another path owes for a PTE already read-only")
    void writeProtectKeepingTheBatchContract() {
        Model m = new Model(Variants.V5);
        Running owing = Running.start(0, 0, false, -1).wrote().owes(Running.cpuBit(1));
        Running wp = Running.start(0, 0, false, -1);
        State s = m.initial().withRunning(1, owing).withRunning(0, wp);
        tlbcheck.model.kernel.WriteProtectPte keeping = tlbcheck.model.kernel.WriteProtectPte.KEEPING_THE_BATCH_CONTRACT;
        assertEquals("set PTE RW->RO: PTE already f0/RO, takes on the flush another path still owes", keeping.describe(m, s, 0, wp));
        assertEquals(Running.cpuBit(1), keeping.apply(m, s, 0, wp).running(0).get().owedOn(0));
        assertEquals("set PTE RW->RO", tlbcheck.model.kernel.WriteProtectPte.INSTANCE.describe(m, s, 0, wp));
        assertEquals(0, tlbcheck.model.kernel.WriteProtectPte.INSTANCE.apply(m, s, 0, wp).running(0).get().owedOn(0));
        assertEquals("set PTE RW->RO", keeping.describe(m, m.initial().withRunning(0, wp), 0, wp), "nobody owes anything");
        State writable = s.withPte(0, Pte.valid(0, Perm.RW));
        assertEquals("set PTE RW->RO", keeping.describe(m, writable, 0, wp), "a writable PTE is its own to write");
        assertEquals(Pte.valid(0, Perm.RO), keeping.apply(m, writable, 0, wp).pte(0));
        assertEquals("no PTE of the range is writable", keeping.skipReason(m, s, 0, Running.start(0, 0, 2, false, -1)));
    }

    @Test
    @DisplayName("KVM's callbacks do nothing in a model without a VM")
    void kvmCallbacksWithoutAVm() {
        Model m = new Model(Variants.V5);
        Running r = Running.start(0, 0, false, -1);
        State s = m.initial().withRunning(0, r);
        for (tlbcheck.model.kernel.Op op : new tlbcheck.model.kernel.Op[] {tlbcheck.model.kernel.KvmInvalidateRangeStart.INSTANCE,
                tlbcheck.model.kernel.KvmInvalidateRangeEnd.INSTANCE, new tlbcheck.model.kernel.KvmRequestApicReload("site")}) {
            assertEquals(s.withRunning(0, r.next()), op.apply(m, s, 0, r), op.name());
        }
        // x86: the reload is requested only for a range that covers the APIC page.
        Model x86 = new Model(Variants.V7.withScope(Scope.of(2, 0, 2, 3)));
        Running page1 = Running.start(0, 1, false, -1);
        assertFalse(new tlbcheck.model.kernel.KvmRequestApicReload("site").apply(x86, x86.initial().withRunning(0, page1), 0, page1)
                .kvm().apicReload());
        Running page0 = Running.start(0, 0, false, -1);
        assertTrue(new tlbcheck.model.kernel.KvmRequestApicReload("site").apply(x86, x86.initial().withRunning(0, page0), 0, page0)
                .kvm().apicReload());
    }

    /**
     * move_ptes moves the old address's PTE to the new one and flushes nothing: the old address's TLB entries are the
     * procedure's debt until its own flush. It does nothing where the old address maps nothing, the new one is mapped,
     * or the range has one page, and refuses a procedure that is not ranged.
     */
    @Test
    @DisplayName("move_ptes: the PTE moves to the new address, the old address's entries stay cached and owed")
    void movePtes() {
        tlbcheck.model.kernel.MovePtes move = tlbcheck.model.kernel.MovePtes.INSTANCE;
        assertEquals("move_ptes: ptep_get_and_clear(old), set_pte_at(new)", move.name());
        Model m = new Model(Variants.V5, Scope.of(2, 0, 2, 2).withRange(2));
        Running r = Running.start(0, 0, 2, false, -1);
        State s = m.initial().withPte(1, Pte.INVALID).withFrame(1, false).withCpuTlb(1, 0, Pte.valid(0, Perm.RO));
        State moved = move.apply(m, s.withRunning(0, r), 0, r);
        assertEquals(Pte.INVALID, moved.pte(0));
        assertEquals(Pte.valid(0, Perm.RO), moved.pte(1), "the same frame at the new address");
        assertEquals(Pte.valid(0, Perm.RO), moved.cpuTlb(1, 0), "no flush: CPU1 still translates the old address");
        assertTrue(moved.running(0).get().wrotePte());
        assertEquals(Running.cpuBit(1), moved.running(0).get().owedOn(0), "the old address's flush is owed, to CPU1");
        assertEquals(1, moved.running(0).get().pc());
        for (State nothing : java.util.List.of(s.withPte(0, Pte.INVALID), m.initial())) {
            State same = move.apply(m, nothing.withRunning(0, r), 0, r);
            assertEquals(nothing.ptes(), same.ptes(), "nothing to move, or the new address is mapped");
        }
        Running one = Running.start(0, 0, false, -1);
        assertEquals(s.ptes(), move.apply(m, s.withRunning(0, one), 0, one).ptes(), "a one-page range");
        assertEquals("a one-page range has no other address to move to", move.skipReason(m, s, 0, one));
        assertTrue(move.misplaced(tlbcheck.model.kernel.Procedure.of("m", tlbcheck.model.kernel.Trigger.ANY,
                tlbcheck.model.kernel.SetPteWritable.INSTANCE), 0).isDefined());
    }
}
