package tlbcheck.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tlbcheck.model.kernel.FlushTlbMmIfNested;
import tlbcheck.model.kernel.FlushTlbPage;
import tlbcheck.model.kernel.NotifySecondary;
import tlbcheck.model.kernel.Op;
import tlbcheck.model.kernel.SmmuInvalidateOnFault;
import tlbcheck.model.kernel.TlbBatch;
import tlbcheck.model.step.CpuFill;
import tlbcheck.model.step.SmmuFill;

/**
 * The invalidation ops one at a time, on a state where every CPU and SMMU caches every page: which entries each drops,
 * how many commands it counts (invariant 7 compares them), and what a trace calls it.
 */
class FlushOpsTest {

    private static final Scope SCOPE = Scope.of(3, 1, 3, 4).withRange(3);
    private static final Model V5 = new Model(Variants.V5, SCOPE);
    private static final Model V2 = new Model(Variants.V2, SCOPE); // BTM

    /** Every CPU and SMMU TLB caches every page. */
    private static State cachedEverywhere(Model m) {
        State s = m.initial();
        for (int p = 0; p < s.pages(); p++) {
            for (int c = 0; c < s.cpus(); c++) s = m.fire(s, new CpuFill(c, p)).after();
            s = m.fire(s, new SmmuFill(0, p)).after();
        }
        return s;
    }

    /** Runs the op for CPU0's procedure on pages [page, page + pages), having written its PTEs or not. */
    private static State run(Model m, Op op, int page, int pages, boolean wrote) {
        Running r = Running.start(0, page, pages, false, -1);
        if (wrote) r = r.wrote();
        State s = cachedEverywhere(m).withRunning(0, r);
        return op.apply(m, s, 0, r);
    }

    /** "cpu" or "smmu" + entries still cached, as a map of page -> which TLBs hold it, e.g. "p0:012S p1:012S". */
    private static String cached(State s) {
        StringBuilder b = new StringBuilder();
        for (int p = 0; p < s.pages(); p++) {
            b.append(p == 0 ? "" : " ").append('p').append(p).append(':');
            for (int c = 0; c < s.cpus(); c++) if (s.cpuTlb(c, p).present()) b.append(c);
            if (s.smmuTlb(0, p).present()) b.append('S');
        }
        return b.toString();
    }

    @Test
    @DisplayName("flush_tlb_range: broadcast, local, a flush of the first pages, by ASID above a size, always")
    void cpuFlushes() {
        FlushTlbPage is = FlushTlbPage.broadcast("flush_tlb_range");
        State s = run(V5, is, 1, 2, true);
        assertEquals("p0:012S p1:S p2:S", cached(s), "pages 1..2 dropped from every CPU, not from the SMMU (no BTM)");
        assertEquals(2, s.running(0).get().flushes(), "one TLBI per page");
        assertEquals(1, s.running(0).get().pc());
        assertEquals("p0:012S p1: p2:", cached(run(V2, is, 1, 2, true)), "with BTM the SMMU snoops the broadcast");

        State local = run(V5, FlushTlbPage.local("flush_tlb_page_nosync"), 1, 1, true);
        assertEquals("p0:012S p1:12S p2:012S", cached(local), "a local TLBI reaches CPU0 only");

        assertEquals("p0:012S p1:S p2:012S", cached(run(V5, is.firstPages(1), 1, 2, true)));
        assertEquals("p0:012S p1:S p2:S", cached(run(V5, is.firstPages(3), 1, 2, true)), "a cover beyond the range stops at it");

        State byAsid = run(V5, is.wholeMmAbove(1), 1, 2, true);
        assertEquals("p0:S p1:S p2:S", cached(byAsid), "above the size: every page of the mm");
        assertEquals(1, byAsid.running(0).get().flushes(), "one TLBI ASIDE1IS");
        State atSize = run(V5, is.wholeMmAbove(1), 1, 1, true);
        assertEquals("p0:012S p1:S p2:012S", cached(atSize), "at the size: by VA");
        assertEquals(1, atSize.running(0).get().flushes());
        assertEquals("p0:S p1:S p2:S", cached(run(V5, FlushTlbPage.wholeMm("flush_tlb_mm"), 1, 1, true)));

        State unchanged = run(V5, is, 1, 2, false);
        assertEquals("p0:012S p1:012S p2:012S", cached(unchanged), "no PTE changed, no flush");
        assertEquals(0, unchanged.running(0).get().flushes());
        assertEquals(1, unchanged.running(0).get().pc());
        assertEquals("p0:012S p1:S p2:012S", cached(run(V5, is.always(), 1, 1, false)), "always: flushed all the same");
    }

    @Test
    @DisplayName("flush_tlb_range: the names and descriptions a trace prints")
    void cpuFlushText() {
        FlushTlbPage is = FlushTlbPage.broadcast("flush_tlb_range");
        assertEquals("flush_tlb_range (TLBI IS)", is.name());
        assertEquals("flush_tlb_range (TLBI local)", FlushTlbPage.local("flush_tlb_range").name());
        assertEquals("flush_tlb_range (TLBI IS, first 1 page(s), by ASID above 2 page(s), always)",
                is.firstPages(1).wholeMmAbove(2).always().name());
        assertEquals("flush_tlb_mm (TLBI IS, by ASID)", FlushTlbPage.wholeMm("flush_tlb_mm").name());
        State s = V5.initial();
        assertEquals("flush_tlb_range (TLBI IS) x2 pages", is.describe(V5, s, 0, Running.start(0, 1, 2, false, -1)));
        assertEquals("flush_tlb_range (TLBI IS)", is.describe(V5, s, 0, Running.start(0, 1, 1, false, -1)));
        assertEquals("flush_tlb_range (TLBI IS, first 1 page(s))", is.firstPages(1).describe(V5, s, 0, Running.start(0, 0, 3, false, -1)));
        assertEquals("flush_tlb_range (TLBI ASIDE1IS: whole mm)", is.wholeMmAbove(1).describe(V5, s, 0, Running.start(0, 0, 2, false, -1)));
        assertEquals("flush_tlb_range (TLBI IS, by ASID above 2 page(s)) x2 pages",
                is.wholeMmAbove(2).describe(V5, s, 0, Running.start(0, 0, 2, false, -1)));
        assertEquals("flush (TLBI ASIDE1: whole mm)", FlushTlbPage.local("flush").wholeMmAbove(0).describe(V5, s, 0,
                Running.start(0, 0, 1, false, -1)));
        assertTrue(is.invalidates());
    }

    @Test
    @DisplayName("the notifier's secondary invalidation: after a flush or always, a cover, by ASID above a size, BTM")
    void secondaryInvalidations() {
        NotifySecondary always = NotifySecondary.always("range_end->invalidate_range");
        State s = run(V5, always, 1, 2, false);
        assertEquals("p0:012S p1:012 p2:012", cached(s), "called from range_end whether or not a PTE changed");
        assertEquals(2, s.running(0).get().secondary());
        State withFlush = run(V5, NotifySecondary.withFlush("flush->arch_invalidate_secondary_tlbs"), 1, 2, false);
        assertEquals("p0:012S p1:012S p2:012S", cached(withFlush), "only where the flush beside it ran");
        assertEquals(0, withFlush.running(0).get().secondary());
        assertEquals(1, withFlush.running(0).get().pc());
        assertEquals("p0:012S p1:012 p2:012S", cached(run(V5, always.firstPages(1), 1, 2, true)));
        State byAsid = run(V5, always.wholeAsidAbove(1), 1, 2, true);
        assertEquals("p0:012 p1:012 p2:012", cached(byAsid));
        assertEquals(1, byAsid.running(0).get().secondary());
        assertEquals("p0:012S p1:012 p2:012S", cached(run(V5, always.wholeAsidAbove(1), 1, 1, true)), "at the size: by VA");
        State btm = run(V2, always, 1, 2, true);
        assertEquals("p0:012S p1:012S p2:012S", cached(btm), "with BTM the driver sends no TLB command");
        assertEquals(2, btm.running(0).get().secondary(), "but the calls still count");

        assertEquals("range_end->invalidate_range (first 1 page(s)) (by ASID above 2 page(s))",
                always.firstPages(1).wholeAsidAbove(2).name());
        assertEquals("x (by ASID)", NotifySecondary.always("x").wholeAsidAbove(0).name());
        State init = V5.initial();
        assertEquals("x (CMD_TLBI_NH_ASID: whole ASID)", NotifySecondary.always("x").wholeAsidAbove(1)
                .describe(V5, init, 0, Running.start(0, 0, 2, false, -1)));
        assertEquals("x (by VA x2 pages)", NotifySecondary.always("x").describe(V5, init, 0, Running.start(0, 0, 2, false, -1)));
        assertEquals("x", NotifySecondary.always("x").describe(V5, init, 0, Running.start(0, 0, 1, false, -1)));
        assertEquals("x (by ASID above 2 page(s)) (by VA x2 pages)", NotifySecondary.always("x").wholeAsidAbove(2)
                .describe(V5, init, 0, Running.start(0, 1, 2, false, -1)));
        assertEquals("this procedure changed no PTE, so no CPU flush to mirror", always.skipReason(V5, init, 0, Running.start(0, 1, 2, false, -1)));
        assertEquals("this procedure changed no PTE, so it owes no flush",
                FlushTlbPage.broadcast("f").skipReason(V5, init, 0, Running.start(0, 1, 2, false, -1)));
        assertTrue(always.invalidates());
    }

    @Test
    @DisplayName("tlb_finish_mmu's nested flush, reclaim's batched flush, the SMMU driver's own invalidation")
    void otherInvalidations() {
        Running r = Running.start(0, 1, 1, false, 0);
        State one = cachedEverywhere(V5).withRunning(0, r).withLocks(V5.initial().locks().withTlbFlushPending(1));
        State two = one.withLocks(one.locks().withTlbFlushPending(2));
        FlushTlbMmIfNested nested = new FlushTlbMmIfNested(true);
        State notNested = nested.apply(V5, one, 0, r);
        assertEquals("p0:012S p1:012S p2:012S", cached(notNested), "one gather pending: its own");
        assertEquals(0, notNested.running(0).get().flushes());
        State flushed = nested.apply(V5, two, 0, r);
        assertEquals("p0: p1: p2:", cached(flushed), "another gather pending: the whole mm, and the secondary TLBs");
        assertEquals(1, flushed.running(0).get().flushes());
        assertEquals(1, flushed.running(0).get().secondary());
        State cpuOnly = new FlushTlbMmIfNested(false).apply(V5, two, 0, r);
        assertEquals("p0:S p1:S p2:S", cached(cpuOnly));
        assertEquals(0, cpuOnly.running(0).get().secondary());
        assertEquals("p0: p1: p2:", cached(nested.apply(V2, two.withRunning(0, r), 0, r)), "BTM: the broadcast reaches the SMMU");
        assertEquals(0, nested.apply(V2, two, 0, r).running(0).get().secondary() - 1, "one notifier call counted");
        assertTrue(nested.name().endsWith("(TLBI ASIDE1IS, + secondary)"));
        assertTrue(nested.invalidates() && !nested.silent() && FlushTlbMmIfNested.folded(true).silent(),
                "an invalidation; a step of its own unless folded");
        assertTrue(new FlushTlbMmIfNested(false).name().endsWith("(TLBI ASIDE1IS)"));
        assertEquals("no other mmu_gather is pending (tlb_flush_pending 1)", nested.skipReason(V5, one, 0, r));

        State batched = one.withLocks(one.locks().withTlbFlushBatched(true));
        State done = TlbBatch.FLUSH_PENDING.apply(V5, batched, 0, r);
        assertEquals("p0:S p1:S p2:S", cached(done), "flush_tlb_batched_pending flushes the whole mm");
        assertFalse(done.locks().tlbFlushBatched());
        assertEquals(1, done.running(0).get().flushes());
        State nothing = TlbBatch.FLUSH_PENDING.apply(V5, one, 0, r);
        assertEquals("p0:012S p1:012S p2:012S", cached(nothing));
        assertEquals(1, nothing.running(0).get().pc());
        assertTrue(TlbBatch.SET_PENDING.apply(V5, one, 0, r).locks().tlbFlushBatched());
        assertTrue(TlbBatch.FLUSH_PENDING.silent() && TlbBatch.FLUSH_PENDING.invalidates());
        assertFalse(TlbBatch.SET_PENDING.silent() || TlbBatch.SET_PENDING.invalidates());
        assertEquals("set_tlb_ubc_flush_pending", TlbBatch.SET_PENDING.name());

        State smmu = SmmuInvalidateOnFault.INSTANCE.apply(V5, one, 0, r);
        assertEquals("p0:012S p1:012 p2:012S", cached(smmu), "the faulting device's SMMU, the faulting page");
        assertEquals(0, smmu.running(0).get().secondary(), "not a notifier call");
        Running noDevice = Running.start(0, 1, 1, false, -1);
        assertEquals("p0:012S p1:012S p2:012S", cached(SmmuInvalidateOnFault.INSTANCE.apply(V5, one.withRunning(0, noDevice), 0, noDevice)));
    }

    /**
     * A truncate (unmap_mapping_range: a zap with its own mmu_gather and no mmap lock) clears p0 while CPU2 still caches
     * it, and stops before its flush; munmap of p0 finds the PTE clear and takes on that flush. Its tlb_finish_mmu finds
     * two gathers pending and flushes the whole mm, so munmap returns with p0 unmapped in every TLB, as 99baac21e458
     * promises; without the nested flush it would return owing the flush (invariant 2). Where nothing is nested the
     * check adds no step: munmap is as long as before.
     */
    @Test
    @DisplayName("munmap's tlb_finish_mmu flushes the whole mm when a lockless zap's gather is pending beside it")
    void munmapFlushesWhenNested() {
        tlbcheck.model.kernel.Procedure truncate = tlbcheck.model.kernel.Procedure.of("truncate",
                tlbcheck.model.kernel.Trigger.PTE_VALID, tlbcheck.model.kernel.MmPaths.TLB_GATHER_MMU,
                tlbcheck.model.kernel.PtlLock.INSTANCE, tlbcheck.model.kernel.ClearPte.UNMAP,
                tlbcheck.model.kernel.PtlUnlock.INSTANCE, FlushTlbPage.broadcast("tlb_finish_mmu -> tlb_flush_mmu"),
                tlbcheck.model.kernel.FreeOldFrame.INSTANCE, tlbcheck.model.kernel.MmPaths.TLB_FINISH_MMU);
        for (tlbcheck.model.kernel.MmPaths paths : new tlbcheck.model.kernel.MmPaths[] {
                tlbcheck.model.kernel.MmPaths.LINUX_6_4, tlbcheck.model.kernel.MmPaths.LINUX_6_6}) {
            Variant v = Variants.V5.withKernel("truncate beside munmap", "a lockless zap",
                    paths.kernel().plus(truncate)).withScope(Scope.of(3, 1, 1, 2));
            Scenario s = new Scenario(v).then(new CpuFill(2, 0), new tlbcheck.model.step.Start(0, "truncate", 0, false));
            for (int i = 0; i < 4; i++) s.then(new tlbcheck.model.step.Advance(0));  // gather, lock, clear, unlock
            assertTrue(s.state().pte(0).none() && s.state().cpuTlb(2, 0).present(), "cleared, CPU2's entry not flushed yet");
            s.then(new tlbcheck.model.step.Start(1, "unmap", 0, false)).finish(1);
            assertFalse(s.state().cpuTlb(2, 0).present(), paths.name() + ": the nested flush dropped CPU2's entry");
            assertTrue(s.violationOf(tlbcheck.model.invariant.NoStaleAccessAfterRestriction.INSTANCE).isEmpty(),
                    paths.name() + ": munmap returns owing nothing");
            Scenario alone = new Scenario(v).then(new tlbcheck.model.step.Start(1, "unmap", 0, false)).finish(1);
            assertEquals(1 + paths.unmap().ops().count(op -> !op.silent()), alone.length(),
                    "no other gather: the check is no step of its own");
        }
    }
}
