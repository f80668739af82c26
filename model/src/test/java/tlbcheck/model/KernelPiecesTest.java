package tlbcheck.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tlbcheck.model.invariant.NoUseAfterFree;
import tlbcheck.model.kernel.ClearPte;
import tlbcheck.model.kernel.FlushTlbMmIfNested;
import tlbcheck.model.kernel.FlushTlbPage;
import tlbcheck.model.kernel.FreeOldFrame;
import tlbcheck.model.kernel.Kernel;
import tlbcheck.model.kernel.MmPaths;
import tlbcheck.model.kernel.MmapLock;
import tlbcheck.model.kernel.MmapUnlock;
import tlbcheck.model.kernel.MovePageTable;
import tlbcheck.model.kernel.NotifySecondary;
import tlbcheck.model.kernel.Op;
import tlbcheck.model.kernel.Procedure;
import tlbcheck.model.kernel.PteCondition;
import tlbcheck.model.kernel.PtlLock;
import tlbcheck.model.kernel.PtlUnlock;
import tlbcheck.model.kernel.RangeEnd;
import tlbcheck.model.kernel.ResumeDevice;
import tlbcheck.model.kernel.RmapLock;
import tlbcheck.model.kernel.S2Change;
import tlbcheck.model.kernel.S2Make;
import tlbcheck.model.kernel.S2Read;
import tlbcheck.model.kernel.S2Tlbi;
import tlbcheck.model.kernel.Seq;
import tlbcheck.model.kernel.SetPteAtNotify;
import tlbcheck.model.kernel.SetPteWritable;
import tlbcheck.model.kernel.SmmuInvalidateOnFault;
import tlbcheck.model.kernel.TlbBatch;
import tlbcheck.model.kernel.Trigger;
import tlbcheck.model.kernel.When;
import tlbcheck.model.step.Advance;
import tlbcheck.model.step.CpuFill;
import tlbcheck.model.step.Start;

/** The pieces variants are built from: locks, named ops, triggers, kernels, the mm paths' builders, a page-table move. */
class KernelPiecesTest {

    private static State withLocks(Model m, Locks l) {
        return m.initial().withLocks(l);
    }

    @Test
    @DisplayName("a stage-2 read skips exactly the ops of its change as the procedure runs them, composites flattened")
    void stage2ReadSkipsItsChangeOnly() {
        S2Change c = S2Change.WRPROTECT;
        Op[] ops = S2Read.then(c, new S2Make(c, true),
                Seq.of("flush", new S2Tlbi(true, c), When.of(PteCondition.VALID, new S2Tlbi(false, c))));
        assertEquals(4, ((S2Read) ops[0]).rest(), "S2Make, S2Tlbi, the When's skip and its body");
    }

    @Test
    @DisplayName("the rmap lock: readers share it, a writer excludes everyone, unlocks give it back")
    void rmapLock() {
        Model m = new Model(Variants.V5);
        Running r = Running.start(0, 0, false, -1);
        Locks free = m.initial().locks();
        Locks read = RmapLock.READ.apply(m, withLocks(m, free), 0, r).locks();
        assertEquals(1, read.rmapReaders());
        assertEquals(2, RmapLock.READ.apply(m, withLocks(m, read), 0, r).locks().rmapReaders());
        assertEquals(0, RmapLock.READ_UNLOCK.apply(m, withLocks(m, read), 0, r).locks().rmapReaders());
        Locks written = RmapLock.WRITE.apply(m, withLocks(m, free), 0, r).locks();
        assertTrue(written.rmapWriter() && written.rmapReaders() == 0);
        assertFalse(RmapLock.WRITE_UNLOCK.apply(m, withLocks(m, written), 0, r).locks().rmapWriter());
        assertEquals(1, RmapLock.READ.apply(m, withLocks(m, free), 0, r).running(0).get().pc());

        Object[][] cases = {
                {RmapLock.READ, free, null}, {RmapLock.WRITE, free, null},
                {RmapLock.READ, read, null}, {RmapLock.WRITE, read, "the rmap lock is held for read"},
                {RmapLock.READ, written, "the rmap lock is held for write"}, {RmapLock.WRITE, written, "the rmap lock is held for write"},
                {RmapLock.READ_UNLOCK, read, null}, {RmapLock.WRITE_UNLOCK, written, null},
        };
        for (Object[] c : cases) {
            RmapLock op = (RmapLock) c[0];
            State s = withLocks(m, (Locks) c[1]);
            assertEquals(c[2] == null ? "ready" : c[2], op.refusal(m, s, 0, r).getOrElse("ready"), op.name() + " on " + c[1]);
            assertEquals(c[2] == null, op.ready(m, s, 0, r), op.name() + " on " + c[1]);
        }
        assertEquals("drop_rmap_locks", RmapLock.WRITE_UNLOCK.name());
        assertEquals("anon_vma_unlock_read", RmapLock.READ_UNLOCK.name());
        assertEquals("anon_vma_lock_read", RmapLock.READ.name());
        assertTrue(RmapLock.READ.bookkeeping());
    }

    /** reclaim's rmap walk and mremap's page-table move, as in commit 97113eb39fa7. */
    private static Variant mremap(boolean rmapLocked) {
        Procedure reclaim = Procedure.of("try_to_unmap_one", Trigger.PTE_VALID, RmapLock.READ, PtlLock.INSTANCE,
                Op.named("ptep_clear_flush", ClearPte.RMAP_UNMAP), FlushTlbPage.broadcast("flush_tlb_page"), PtlUnlock.INSTANCE,
                RmapLock.READ_UNLOCK, FreeOldFrame.INSTANCE);
        Procedure move = rmapLocked
                ? Procedure.ranged("mremap", Trigger.PTE_VALID, MmapLock.WRITE, RmapLock.WRITE, MovePageTable.INSTANCE,
                        RmapLock.WRITE_UNLOCK, MmapUnlock.WRITE)
                : Procedure.ranged("mremap", Trigger.PTE_VALID, MmapLock.WRITE, MovePageTable.INSTANCE, MmapUnlock.WRITE);
        Scope scope = Scope.of(2, 0, 2, 2).withRange(2);
        return Variants.V5.withKernel("mremap", "test", Variants.V5.kernel().plus(reclaim).plus(move)).withScopes(scope, scope);
    }

    @Test
    @DisplayName("a page table moved under an rmap walker: the walker clears the new address and flushes the old one")
    void pageTableMovedUnderAWalker() {
        Scenario s = new Scenario(mremap(false)).then(new Start(0, "unmap", 1, false)).finish(0)
                .then(new Start(1, "try_to_unmap_one", 0, false), new Advance(1), new Advance(1)) // rmap lock, PTL of page 0
                .then(new Start(0, "mremap", 0, 2, false), new Advance(0));
        assertEquals("mremap: move_normal_pmd (pmd_clear, flush_tlb_range old, set_pmd_at new) -> nothing cached",
                new Advance(0).describe(s.model(), s.state()));
        s.then(new Advance(0));
        State moved = s.state();
        assertEquals(Pte.INVALID, moved.pte(0));
        assertEquals(Pte.valid(0, Perm.RO), moved.pte(1));
        assertTrue(moved.locks().ptlHeld(1) && !moved.locks().ptlHeld(0), "the lock moved with the table");
        assertEquals(1, moved.running(1).get().ptep(), "so did the walker's pointer");
        assertEquals(1, moved.running(0).get().flushes());
        s.then(new CpuFill(0, 1)).finish(0);
        assertEquals("try_to_unmap_one: ptep_clear_flush of p1, not p0: its page table moved there",
                new Advance(1).describe(s.model(), s.state()));
        s.finish(1);
        assertTrue(s.state().pte(1).none());
        assertEquals("frame 0 was freed while CPU0's TLB entry for page 1 still points at it",
                s.violationOf(NoUseAfterFree.INSTANCE).get().explanation());

        Scenario fixed = new Scenario(mremap(true)).then(new Start(0, "unmap", 1, false)).finish(0)
                .then(new Start(1, "try_to_unmap_one", 0, false), new Advance(1), new Advance(1))
                .then(new Start(0, "mremap", 0, 2, false), new Advance(0));
        assertEquals("take_rmap_locks (write) must wait: the rmap lock is held for read",
                fixed.model().refusal(fixed.state(), new Advance(0)).get());
    }

    @Test
    @DisplayName("a page-table move needs a range, a mapped old address and a free new one")
    void pageTableMoveSkips() {
        Model m = new Model(mremap(false));
        Running one = Running.start(0, 0, 1, false, -1);
        State s = m.initial().withRunning(0, one);
        assertEquals(s.withRunning(0, one.next()), MovePageTable.INSTANCE.apply(m, s, 0, one));
        assertEquals("a one-page range has no other address to move to", MovePageTable.INSTANCE.skipReason(m, s, 0, one));
        Running two = Running.start(0, 0, 2, false, -1);
        assertEquals(s.withRunning(0, two.next()), MovePageTable.INSTANCE.apply(m, s.withRunning(0, two), 0, two), "page 1 is mapped");
        assertEquals("the old address maps nothing, or the new one is mapped", MovePageTable.INSTANCE.skipReason(m, s, 0, two));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Procedure.of("mremap", Trigger.PTE_VALID, MovePageTable.INSTANCE));
        assertTrue(e.getMessage().contains("its procedure must be entered on a range"), e.getMessage());
    }

    @Test
    @DisplayName("a named op is the op it wraps in everything but its name")
    void namedDelegates() {
        for (Op op : new Op[] {TlbBatch.FLUSH_PENDING, RmapLock.READ, SetPteWritable.INSTANCE, SmmuInvalidateOnFault.INSTANCE,
                MovePageTable.INSTANCE}) {
            Op named = Op.named("kernel_name", op);
            assertEquals(op, named.unwrapped());
            assertEquals(op.silent(), named.silent(), op.name());
            assertEquals(op.bookkeeping(), named.bookkeeping(), op.name());
            assertEquals(op.invalidates(), named.invalidates(), op.name());
            assertEquals(op.resolvesFault(), named.resolvesFault(), op.name());
            assertEquals("kernel_name", named.name());
        }
        Model m = new Model(Variants.V5);
        Running r = Running.start(0, 0, 2, false, -1);
        assertEquals("tlb_flush_mmu x2 pages", Op.named("tlb_flush_mmu", FlushTlbPage.broadcast("flush_tlb_range"))
                .describe(m, m.initial(), 0, r).replace(" (TLBI IS)", ""));
        assertEquals("kernel_name", Op.named("kernel_name", new Op() {
            @Override public String name() { return "inner"; }
            @Override public String describe(Model model, State state, int cpu, Running running) { return "something else"; }
            @Override public State apply(Model model, State state, int cpu, Running running) { return state; }
        }).describe(m, m.initial(), 0, r));
    }

    @Test
    @DisplayName("triggers: how a Start enters them, and when stage 2 is collapsible")
    void triggers() {
        Trigger mine = Trigger.of("mine", (s, page) -> true);
        assertTrue(mine.startsOn(false) && !mine.startsOn(true));
        assertTrue(!mine.onWriteOnly().startsOn(false) && mine.onWriteOnly().startsOn(true));
        assertTrue(mine.onReadOrWrite().startsOn(false) && mine.onReadOrWrite().startsOn(true));
        assertEquals("mine", mine.onWriteOnly().name());
        assertFalse(Trigger.DEVICE_FAULT.startsOn(false) || Trigger.DEVICE_FAULT.startsOn(true));
        assertEquals(Trigger.Entry.VCPU_FAULT, Trigger.VCPU_FAULT.entry());

        Kvm block = new Model(Variants.V10).initial().kvm();
        assertFalse(Trigger.collapsible(block), "already a block");
        Kvm pages = new Scenario(Variants.V10).then(new Start(0, "s2_split", 0, false)).finish(0).state().kvm();
        assertTrue(Trigger.collapsible(pages));
        assertFalse(Trigger.collapsible(pages.withS2(1, Pte.valid(1, Perm.RO))), "permissions differ");
        assertFalse(Trigger.collapsible(pages.withS2(1, Pte.valid(2, Perm.RW))), "frames not contiguous");
        assertFalse(Trigger.collapsible(pages.withS2(1, Pte.INVALID)), "a hole");
        assertFalse(Trigger.collapsible(pages.withS2(0, Pte.INVALID)), "no first entry");
        assertTrue(Trigger.collapsible(pages.withS2(0, Pte.valid(1, Perm.RW)).withS2(1, Pte.valid(2, Perm.RW))), "from f1");
    }

    @Test
    @DisplayName("a kernel replaces or adds procedures by name, the first one included")
    void kernelWithAndPlus() {
        Kernel k = Variants.V1.kernel();
        Procedure first = k.procedure(0);
        Procedure other = Procedure.of(first.name(), first.trigger(), SetPteWritable.INSTANCE);
        assertEquals(other, k.with(other).procedure(0));
        assertThrows(IllegalArgumentException.class, () -> k.plus(other));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> k.with(Procedure.of("no_such_path", Trigger.ANY, SetPteWritable.INSTANCE)));
        assertTrue(e.getMessage().contains("To add a new path, use plus(procedure)"), e.getMessage());
        assertEquals(-1, k.indexOf(Trigger.VCPU_FAULT));
        assertEquals("renamed", k.named("renamed").name());
        assertEquals(k.procedures(), k.named("renamed").procedures());
        assertEquals(k.procedures().size() - 1, k.indexOf(Trigger.DEVICE_FAULT));
    }

    @Test
    @DisplayName("the mm paths' builders put the ops they are given where the kernel calls them")
    void mmPathsBuilders() {
        Seq marker = Seq.of("marker", SetPteAtNotify.INSTANCE);
        MmPaths p = MmPaths.LINUX_6_6;
        assertTrue(p.withPtepSetAccessFlags(marker).kernel().find("fault_upgrade").get().ops().contains(SetPteAtNotify.INSTANCE));
        assertTrue(p.withFlushTlbRange(marker).kernel().find("write_protect").get().ops().contains(SetPteAtNotify.INSTANCE));
        assertTrue(p.withIopfResume(marker).kernel().find("iopf").get().ops().last() == SetPteAtNotify.INSTANCE);
        assertTrue(p.withPtepClearFlushNotify(Seq.of("m", ClearPte.UNMAP, SetPteAtNotify.INSTANCE)).cow().ops()
                .count(op -> op == SetPteAtNotify.INSTANCE) == 2, "the clear-and-flush of cow, then its own set_pte_at_notify");
        assertTrue(p.withRangeOnlyEnd(Seq.of("m", ResumeDevice.INSTANCE)).cow().ops().contains(ResumeDevice.INSTANCE));
        assertEquals("cow", p.cow().name());
        assertEquals(Trigger.PTE_READ_ONLY, p.cow().trigger());
        // madvise's nested flush notifies where the version's gather flush does.
        assertTrue(nestedNotifies(MmPaths.LINUX_6_4.madvDontneed()), "6.4: tlb_flush_mmu_tlbonly notifies");
        assertFalse(nestedNotifies(MmPaths.LINUX_6_4.withTlbFlushMmu(Seq.of("tlb_flush_mmu",
                FlushTlbPage.broadcast("tlb_flush_mmu"))).madvDontneed()));
        assertTrue(MmPaths.LINUX_6_6.madvDontneed().ranged());
        assertEquals(RangeEnd.INSTANCE, MmPaths.LINUX_6_6.rangeEnd().ops().last());
        assertTrue(MmPaths.LINUX_6_4.rangeEnd().ops().head() instanceof NotifySecondary);
    }

    private static boolean nestedNotifies(Procedure p) {
        return p.ops().filter(op -> op instanceof FlushTlbMmIfNested).map(op -> ((FlushTlbMmIfNested) op).secondary()).head();
    }

    @Test
    @DisplayName("copy-on-write maps the copy writable where the PTE it cleared still is, and nowhere else")
    void copyOnWrite() {
        Variant cow = Variants.V5.withKernel("V5+cow", "with wp_page_copy", Variants.V5.kernel().plus(MmPaths.LINUX_6_6.cow()));
        Scenario s = new Scenario(cow).then(new CpuFill(1, 0), new Start(0, "cow", 0, true)).finish(0);
        assertEquals(Pte.valid(2, Perm.RW), s.state().pte(0), "the copy, writable");
        assertTrue(s.state().frameFree(0), "the old page put");
        assertEquals(Pte.INVALID, s.state().cpuTlb(1, 0), "cleared and flushed before the copy was mapped");
        Model m = new Model(cow);
        Running copied = Running.start(0, 0, true, -1).withNewFrame(2);
        State cleared = m.initial().withPte(0, Pte.INVALID).withRunning(0, copied);
        assertEquals(Pte.valid(2, Perm.RW), SetPteAtNotify.INSTANCE.apply(m, cleared, 0, copied).pte(0));
        State refilled = cleared.withPte(0, Pte.valid(1, Perm.RO));
        assertEquals(Pte.valid(1, Perm.RO), SetPteAtNotify.INSTANCE.apply(m, refilled, 0, copied).pte(0), "not the PTE it cleared");
        assertEquals("PTE is f1/RO, not the one this fault cleared", SetPteAtNotify.INSTANCE.skipReason(m, refilled, 0, copied));
        Running noCopy = Running.start(0, 0, true, -1);
        assertEquals(Pte.INVALID, SetPteAtNotify.INSTANCE.apply(m, cleared.withRunning(0, noCopy), 0, noCopy).pte(0));
        assertEquals("no copy was allocated", SetPteAtNotify.INSTANCE.skipReason(m, cleared, 0, noCopy));
        Running copiedToZero = Running.start(0, 0, true, -1).withNewFrame(0);
        assertEquals(Pte.valid(0, Perm.RW), SetPteAtNotify.INSTANCE.apply(m, cleared.withRunning(0, copiedToZero), 0, copiedToZero).pte(0));
    }

    @Test
    @DisplayName("copy-on-write rechecks the PTE it faulted on with pte_same: read-only again, but of another frame, is not it")
    void copyOnWriteRechecksTheFaultedPte() {
        Model m = new Model(Variants.V5.withKernel("V5+cow", "with wp_page_copy", Variants.V5.kernel().plus(MmPaths.LINUX_6_6.cow())));
        State s = m.initial().withPte(0, Pte.valid(0, Perm.RO));
        Running faulting = Running.start(0, 0, true, -1);
        Running read = tlbcheck.model.kernel.OrigPte.INSTANCE.apply(m, s.withRunning(0, faulting), 0, faulting).running(0).get();
        assertEquals(Pte.valid(0, Perm.RO).code(), read.snapshot(), "vmf->orig_pte");
        assertEquals(1, read.pc());
        tlbcheck.model.kernel.SkipUnless same = new tlbcheck.model.kernel.SkipUnless(PteCondition.SAME_AS_FAULTED, 2);
        assertEquals(2, same.apply(m, s.withRunning(0, read), 0, read).running(0).get().pc(), "the same PTE: go on");
        assertEquals(0, same.apply(m, s.withRunning(0, read), 0, read).running(0).get().snapshot(), "orig_pte is dead after the recheck");
        for (Pte other : new Pte[] {Pte.valid(1, Perm.RO), Pte.valid(0, Perm.RW), Pte.INVALID}) {
            assertEquals(4, same.apply(m, s.withPte(0, other).withRunning(0, read), 0, read).running(0).get().pc(), other + ": skip");
        }
        assertThrows(IllegalStateException.class, () -> PteCondition.SAME_AS_FAULTED.test(Pte.valid(0, Perm.RO), true));
        Procedure cow = MmPaths.LINUX_6_6.cow();
        assertEquals(PtlLock.INSTANCE, cow.op(1).unwrapped(), "handle_pte_fault takes the PTL");
        assertEquals(tlbcheck.model.kernel.OrigPte.INSTANCE, cow.op(2).unwrapped(), "and reads orig_pte under it");
        assertEquals(PtlUnlock.INSTANCE, cow.op(3).unwrapped(), "do_wp_page drops it before the copy");
        assertTrue(cow.ops().exists(op -> op instanceof tlbcheck.model.kernel.SkipUnless k
                && k.condition() == PteCondition.SAME_AS_FAULTED), "the recheck under the PTL");
    }

    @Test
    @DisplayName("a condition of one's own: When runs its ops if it holds on the state and the procedure, skips them if not, and says which")
    void ownCondition() {
        tlbcheck.model.kernel.Condition pending = tlbcheck.model.kernel.Condition.of("mm_tlb_flush_pending",
                (st, r) -> st.locks().tlbFlushPending() > 0);
        Procedure p = Procedure.of("wp", Trigger.ANY, MmapLock.READ,
                tlbcheck.model.kernel.When.of(pending, FlushTlbPage.broadcast("flush_tlb_page").always()), MmapUnlock.READ);
        tlbcheck.model.kernel.SkipUnless check = (tlbcheck.model.kernel.SkipUnless) p.op(1);
        assertEquals("check mm_tlb_flush_pending", check.name());
        assertEquals("if mm_tlb_flush_pending", tlbcheck.model.kernel.When.of(pending, PtlLock.INSTANCE).name());
        Model m = new Model(Variants.V5);
        Running at = Running.start(0, 0, false, -1).jump(1);
        State idle = m.initial().withRunning(0, at);
        State flushing = idle.withLocks(idle.locks().withTlbFlushPending(1));
        assertEquals(2, check.apply(m, flushing, 0, at).running(0).get().pc(), "a flush is pending: the flush runs");
        assertEquals(3, check.apply(m, idle, 0, at).running(0).get().pc(), "none pending: skipped");
        assertEquals("not mm_tlb_flush_pending", check.skipReason(m, idle, 0, at), "the reason names the check, not the PTE");
        assertEquals("PTE is " + idle.pte(0) + ": not pte_none",
                new tlbcheck.model.kernel.SkipUnless(PteCondition.INVALID, 1).skipReason(m, idle, 0, at));
        assertThrows(IllegalArgumentException.class, () -> tlbcheck.model.kernel.Condition.of(" ", (st, r) -> true));
    }

    @Test
    @DisplayName("mmu_lock: taken and dropped, a bookkeeping op")
    void mmuLock() {
        assertEquals("lock mmu_lock", tlbcheck.model.kernel.KvmLock.LOCK.name());
        assertEquals("unlock mmu_lock", tlbcheck.model.kernel.KvmLock.UNLOCK.name());
        assertTrue(tlbcheck.model.kernel.KvmLock.LOCK.bookkeeping() && tlbcheck.model.kernel.KvmLock.UNLOCK.bookkeeping());
    }

    @Test
    @DisplayName("a procedure of checks and locks alone is refused; the ops that can resolve a fault say so")
    void bookkeepingAndFixes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Procedure.of("nothing", Trigger.ANY,
                MmapLock.READ, tlbcheck.model.kernel.When.of(tlbcheck.model.kernel.PteCondition.INVALID, PtlLock.INSTANCE, PtlUnlock.INSTANCE),
                MmapUnlock.READ));
        assertTrue(e.getMessage().startsWith("procedure nothing can end without any effect"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Procedure.of("nothing", Trigger.ANY, new tlbcheck.model.kernel.IfBbm2(
                io.vavr.collection.Array.of(MmapLock.READ), io.vavr.collection.Array.of(MmapUnlock.READ))));
        for (Op fix : new Op[] {SetPteWritable.INSTANCE, tlbcheck.model.kernel.MapNewFrame.INSTANCE, SetPteAtNotify.INSTANCE}) {
            assertTrue(fix.resolvesFault(), fix.name());
        }
        for (Op other : new Op[] {FlushTlbPage.broadcast("f"), ResumeDevice.INSTANCE, SmmuInvalidateOnFault.INSTANCE, PtlLock.INSTANCE}) {
            assertFalse(other.resolvesFault(), other.name());
        }
        assertEquals("SMMU CMD_TLBI_NH_VA+CMD_SYNC", SmmuInvalidateOnFault.INSTANCE.name());
        assertTrue(SmmuInvalidateOnFault.INSTANCE.invalidates() && MovePageTable.INSTANCE.invalidates());
    }

    @Test
    @DisplayName("the kernel's names for the ops no trace above prints")
    void opNames() {
        Object[][] names = {
                {tlbcheck.model.kernel.KvmInvalidateRangeStart.INSTANCE, "kvm: invalidate_range_start (zap stage 2, TLBI VMID)"},
                {new tlbcheck.model.kernel.KvmRequestApicReload("kvm invalidate_range"), "kvm invalidate_range->request APIC reload"},
                {SetPteAtNotify.INSTANCE, "set_pte_at_notify (the copy, RW)"},
                {new tlbcheck.model.kernel.SkipUnlessBbm2(1), "check FEAT_BBM level 2"},
                {new tlbcheck.model.kernel.SkipUnless(tlbcheck.model.kernel.PteCondition.INVALID, 1), "check pte_none"},
                {new tlbcheck.model.kernel.SkipUnless(PteCondition.SAME_AS_FAULTED, 1), "check pte_same(orig_pte)"},
                {tlbcheck.model.kernel.OrigPte.INSTANCE, "vmf->orig_pte = *pte, get_page"},
                {tlbcheck.model.kernel.When.of(tlbcheck.model.kernel.PteCondition.VALID, PtlLock.INSTANCE), "if pte_present"},
                {new tlbcheck.model.kernel.IfBbm2(io.vavr.collection.Array.empty(), io.vavr.collection.Array.empty()), "if FEAT_BBM level 2"},
                {new tlbcheck.model.kernel.Goto(1), "goto"},
                {tlbcheck.model.kernel.KvmCheckRequest.INSTANCE, "kvm_check_request(APIC_PAGE_RELOAD)"},
                {tlbcheck.model.kernel.ReleaseUnusedFrame.INSTANCE, "put unused page"},
                {tlbcheck.model.kernel.RangeStart.INSTANCE, "mmu_notifier_invalidate_range_start"},
        };
        for (Object[] n : names) assertEquals(n[1], ((Op) n[0]).name());
        Model m = new Model(Variants.V5);
        assertEquals("no FEAT_BBM level 2", new tlbcheck.model.kernel.SkipUnlessBbm2(1).skipReason(m, m.initial(), 0,
                Running.start(0, 0, false, -1)));
        assertEquals("wrprotect", tlbcheck.model.kernel.S2Change.WRPROTECT.text());
        Running copiedToZero = Running.start(0, 0, true, -1).withNewFrame(0);
        assertEquals("PTE is f0/RO, not the one this fault cleared", SetPteAtNotify.INSTANCE.skipReason(m, m.initial(), 0, copiedToZero));
    }
}
