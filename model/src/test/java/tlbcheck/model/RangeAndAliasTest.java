package tlbcheck.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tlbcheck.model.invariant.NoStaleAccessAfterRestriction;
import tlbcheck.model.invariant.NoUseAfterFree;
import tlbcheck.model.invariant.SecondaryMirrorsCpuFlush;
import tlbcheck.model.kernel.FlushTlbPage;
import tlbcheck.model.kernel.MmPaths;
import tlbcheck.model.kernel.NotifySecondary;
import tlbcheck.model.kernel.Seq;
import tlbcheck.model.step.CpuFill;
import tlbcheck.model.step.Start;

/** Procedures over a range of pages, and pages that share a frame. */
class RangeAndAliasTest {

    private static final Scope TWO_PAGE_RANGE = Scope.of(2, 1, 2, 2).withRange(2);

    private static Variant v5(Scope scope) {
        return Variants.V5.withScope(scope);
    }

    /** V5 whose mmu_gather flush reaches only the first page of the range (its notifier still covers all). */
    private static Variant flushMissesTail() {
        MmPaths paths = MmPaths.LINUX_6_6.named("linux-6.6+flush-first-page").withTlbFlushMmu(Seq.of("tlb_flush_mmu",
                FlushTlbPage.broadcast("tlb_flush_mmu").firstPages(1),
                NotifySecondary.withFlush("__flush_tlb_range->arch_invalidate_secondary_tlbs")));
        return Variants.V5.withKernel("V5-flush-first-page", "the CPU flush of a zap covers only the first page",
                paths.kernel()).withScope(TWO_PAGE_RANGE);
    }

    /** V5 whose munmap is entered only on two pages at once, as a path the hardware fixes the range of. */
    private static Variant unmapOnTwoPages(Scope scope) {
        tlbcheck.model.kernel.Kernel k = Variants.V5.kernel();
        return Variants.V5.withKernel("V5-unmap-two-pages", "munmap of two pages only",
                k.with(k.find("unmap").get().onPages(2))).withScope(scope);
    }

    @Test
    @DisplayName("a procedure on a fixed number of pages starts only on that many, and a scope too small for it is refused")
    void aProcedureOnAFixedNumberOfPages() {
        Model model = new Model(unmapOnTwoPages(TWO_PAGE_RANGE));
        var starts = model.candidates().filter(st -> st instanceof Start x && x.procedure().equals("unmap"))
                .map(st -> ((Start) st).pages()).distinct();
        assertEquals(io.vavr.collection.Array.of(2), starts);
        assertEquals("unmap is entered only on ranges of 2 pages (onPages); give it 2",
                model.refusal(model.initial(), new Start(0, "unmap", 0, 1, false)).get());
        assertTrue(model.refusal(model.initial(), new Start(0, "unmap", 0, 2, false)).isEmpty());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Model(unmapOnTwoPages(Scope.of(2, 1, 2, 2))));
        assertTrue(e.getMessage().contains("unmap is entered only on ranges of 2 pages (onPages), and the scope's ranges"
                + " go up to 1; give it 2 pages and '-2range'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MmPaths.LINUX_6_6.kernel().find("unmap").get().onPages(0));
        assertEquals(1, MmPaths.LINUX_6_6.kernel().find("unmap").get().onPages(1).span());
        assertThrows(IllegalArgumentException.class,
                () -> Variants.V5.kernel().procedures().find(p -> !p.ranged()).get().onPages(2));
    }

    @Test
    @DisplayName("munmap of two pages clears both PTEs, flushes both from every TLB and frees both frames")
    void unmapOfARange() {
        Scenario s = new Scenario(v5(TWO_PAGE_RANGE))
                .then(new CpuFill(1, 0), new CpuFill(1, 1), new CpuFill(0, 1))
                .then(new Start(0, "unmap", 0, 2, false)).finish(0);
        State end = s.state();
        for (int page = 0; page < 2; page++) {
            assertTrue(end.pte(page).none(), "PTE of page " + page);
            assertFalse(end.cpuTlb(0, page).present() || end.cpuTlb(1, page).present(), "TLBs of page " + page);
        }
        assertTrue(end.frameFree(0) && end.frameFree(1), "both frames freed after the flush");
        for (var inv : new tlbcheck.model.invariant.Invariant[] {NoStaleAccessAfterRestriction.INSTANCE,
                SecondaryMirrorsCpuFlush.INSTANCE, NoUseAfterFree.INSTANCE}) {
            assertTrue(s.violationOf(inv).isEmpty(), inv.name());
        }
    }

    @Test
    @DisplayName("a flush that misses part of the range is caught on the page it missed")
    void partialFlushIsCaughtPerPage() {
        Scenario s = new Scenario(flushMissesTail())
                .then(new CpuFill(1, 1), new Start(0, "unmap", 0, 2, false)).finish(0);
        assertTrue(s.state().cpuTlb(1, 1).present(), "the flush of page 0 alone left CPU1's entry for page 1");
        String v = s.violationOf(NoStaleAccessAfterRestriction.INSTANCE).get().explanation();
        assertTrue(v.contains("CPU1 still grants access to unmapped page 1"), v);
        // The same variant on page 0 alone (a range of one) is correct: the per-page debt names the page.
        Scenario one = new Scenario(flushMissesTail())
                .then(new CpuFill(1, 0), new Start(0, "unmap", 0, 1, false)).finish(0);
        assertTrue(one.violationOf(NoStaleAccessAfterRestriction.INSTANCE).isEmpty());
    }

    @Test
    @DisplayName("invariant 7 counts commands: two per-page TLBIs match two per-page SMMU invalidations")
    void commandsAreCountedPerPage() {
        Scenario s = new Scenario(v5(TWO_PAGE_RANGE)).then(new Start(0, "unmap", 0, 2, false));
        int[] seen = {0, 0};
        while (s.state().running(0).isDefined()) {
            Running r = s.state().running(0).get();
            seen[0] = r.flushes();
            seen[1] = r.secondary();
            s.then(new tlbcheck.model.step.Advance(0));
        }
        assertEquals(2, seen[0], "one TLBI per page");
        assertEquals(2, seen[1], "one SMMU TLBI by VA per page");
    }

    @Test
    @DisplayName("ranges and procedures that take none are refused with the reason")
    void rangesAreChecked() {
        Model model = new Model(v5(TWO_PAGE_RANGE));
        State s = model.initial();
        assertTrue(model.refusal(s, new Start(0, "fault_upgrade", 0, 2, true)).get().contains("not entered on a range"));
        assertTrue(model.refusal(s, new Start(0, "unmap", 1, 2, false)).get().contains("outside"));
        Model narrow = new Model(v5(Scope.of(2, 1, 2, 2)));
        assertTrue(narrow.refusal(s, new Start(0, "unmap", 0, 2, false)).get().contains("beyond the scope's range 1"));
        assertEquals(3, model.candidates().count(st -> st instanceof Start x && x.procedure().equals("unmap") && x.cpu() == 0),
                "unmap(p0), unmap(p0..p1), unmap(p1)");
    }

    @Test
    @DisplayName("a frame mapped by two pages is freed only when its last mapping is gone")
    void aliasKeepsTheFrame() {
        Scope scope = Scope.of(1, 0, 2, 2).withAliases(1);
        Scenario s = new Scenario(Variants.V5.withScope(scope));
        assertEquals(Pte.valid(0, Perm.RO), s.state().pte(1), "page 1 is a second mapping of frame 0");
        assertEquals(2, s.state().mapcount(0));
        assertTrue(s.state().frameFree(1), "frame 1 starts free");
        s.then(new Start(0, "unmap", 0, false)).finish(0);
        assertFalse(s.state().frameFree(0), "page 1 still maps frame 0");
        assertEquals(1, s.state().mapcount(0));
        s.then(new Start(0, "unmap", 1, false)).finish(0);
        assertTrue(s.state().frameFree(0), "the last mapping is gone");
    }

    @Test
    @DisplayName("a scope's writable pages start mapped read-write, the rest read-only, and the scope text says so")
    void writablePages() {
        Scope scope = Scope.of(2, 0, 3, 4).withAliases(1).withWritable(1);
        State s = new Model(Variants.V5, scope).initial();
        assertEquals(Pte.valid(0, Perm.RW), s.pte(0), "the first page is writable");
        assertEquals(Pte.valid(1, Perm.RO), s.pte(1));
        assertEquals(Pte.valid(0, Perm.RO), s.pte(2), "its alias is a read-only second mapping");
        assertEquals("2cpu-0smmu-3page-4frame-1alias-1writable", scope.toString());
        assertEquals(scope, Scope.parse(scope.toString()));
        assertEquals(scope, Scope.parse("2,0,3,4,1,1,1"), "a plain seventh count is the writable pages");
        assertEquals(Scope.of(1, 0, 1, 2).withWritable(1), Scope.of(2, 0, 3, 4).withWritable(2).narrowed(1, 0, 1, 2),
                "narrowing to fewer pages keeps the first pages as they start");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Scope.parse("2cpu-1smmu-2page-2frame-3writable"))
                .getMessage().contains("writable=3 is outside 0..2 (the first pages start writable, so at most every page)"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new Model(Variants.V10, Variants.V10.scope().withWritable(1)))
                .getMessage().contains("drop '-1writable'"), "under a stage-2 block the process maps nothing at the start");
    }

    @Test
    @DisplayName("scopes name ranges and aliases, and old scope strings read as before")
    void scopeText() {
        assertEquals(Scope.of(2, 1, 4, 5), Scope.parse("2cpu-1smmu-4page-5frame"));
        Scope wide = Scope.parse("2cpu-1smmu-4page-5frame-3range-1alias");
        assertEquals(3, wide.range());
        assertEquals(1, wide.aliases());
        assertEquals("2cpu-1smmu-4page-5frame-3range-1alias", wide.toString());
        assertEquals(wide, Scope.parse(wide.toString()));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Scope.parse("2cpu-1smmu-2page-2frame-3range"))
                .getMessage().contains("range=3 is outside 1..2"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Scope.parse("2cpu-1smmu-2page-2frame-2ranges-x"))
                .getMessage().contains("neither a range"));
        // A scope given for a variant keeps what the variant's scope has beyond the four counts, unless it names it.
        Scope variants = Scope.of(2, 0, 2, 2).withRange(2).withWritable(1);
        assertEquals(Scope.of(3, 0, 2, 3).withRange(2).withWritable(1), Scope.parse("3,0,2,3", variants));
        assertEquals(Scope.of(3, 0, 2, 3), Scope.parse("3,0,2,3-1range-0writable", variants));
        assertEquals(Scope.of(3, 0, 2, 3), Scope.parse("3,0,2,3"), "alone, a scope has none");
        assertFalse(assertThrows(IllegalArgumentException.class, () -> Scope.parse("9,0,2,2", Scope.of(2, 0, 2, 2)))
                .getMessage().contains("kept from"), "nothing kept, nothing said of it");
        String kept = assertThrows(IllegalArgumentException.class, () -> Scope.parse("2,0,1,2", variants)).getMessage();
        assertTrue(kept.startsWith("scope range=2 is outside 1..1") && kept.contains("; kept from"
                + " 2cpu-0smmu-2page-2frame-2range-1writable: -2range -1writable (name them in the scope to change them"), kept);
    }

    @Test
    @DisplayName("a flush marked always() runs even when the procedure changed no PTE; by default it is skipped")
    void unconditionalFlush() {
        for (boolean always : new boolean[] {true, false}) {
            FlushTlbPage flush = FlushTlbPage.broadcast("flush_tlb_mm");
            tlbcheck.model.kernel.Procedure p = tlbcheck.model.kernel.Procedure.of("flush_only",
                    tlbcheck.model.kernel.Trigger.ANY, always ? flush.always() : flush);
            Variant v = Variants.V5.withKernel("V5+flush_only", "a bare flush", Variants.V5.kernel().plus(p));
            Scenario s = new Scenario(v).then(new CpuFill(1, 0), new Start(0, "flush_only", 0, false));
            assertEquals(always ? 1 : 0, s.model().fire(s.state(), new tlbcheck.model.step.Advance(0)).completed()
                    .get().flushes());
            s.finish(0);
            assertEquals(!always, s.state().cpuTlb(1, 0).present(), "CPU1's entry " + (always ? "dropped" : "kept"));
        }
    }
}
