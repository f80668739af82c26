package tlbcheck.model.invariant;

import io.vavr.control.Option;
import tlbcheck.model.Model;
import tlbcheck.model.Pte;
import tlbcheck.model.Running;
import tlbcheck.model.State;
import tlbcheck.model.Transition;
import tlbcheck.model.kernel.AllocFrame;
import tlbcheck.model.kernel.PteCondition;
import tlbcheck.model.kernel.WriteOut;
import tlbcheck.model.step.CpuAccess;
import tlbcheck.model.step.DeviceAccess;
import tlbcheck.model.step.VcpuAccess;

/**
 * Invariant 9: no write is lost to a copy. Once a migration has copied a frame, a CPU, device or
 * guest write that still reaches the old frame through a stale translation lands in memory nobody will
 * read again: the new frame has the old contents. Every translation of the old frame must be gone
 * before the copy, which is why the migration entry and its invalidations come first. Copy-on-write
 * copies first and clears after, so its window opens at {@code cow_user_page} and lasts while the PTE
 * still maps the page it copied ({@link #copiedBy}). Reclaim's {@code pageout} is a copy too, to swap or to the page's
 * file ({@link tlbcheck.model.kernel.WriteOut}): a write that reaches a frame it wrote out, before reclaim frees it
 * as clean, is lost the same way.
 */
public final class NoLostWrite implements Invariant {

    public static final NoLostWrite INSTANCE = new NoLostWrite();

    @Override public String name() { return "no-lost-write"; }
    @Override public int number() { return 9; }
    @Override public String meaning() {
        return "no CPU, device or guest write reaches a frame a migration or copy-on-write has already copied, or"
                + " reclaim has written out";
    }

    private static boolean isWrite(Transition t) {
        if (t.step() instanceof CpuAccess a) return a.write();
        if (t.step() instanceof VcpuAccess a) return a.write();
        if (t.step() instanceof DeviceAccess a) return t.before().device(a.device()).write();
        return false;
    }

    /**
     * The procedure that has copied this frame away and not yet freed it, if any: one that has replaced its PTE
     * (a migration's copy, a copy-on-write's clear), or a copy-on-write that has copied the page it holds while its
     * PTE still maps that page read-only. From the copy on, a write to the page reaches it only through a stale
     * writable translation, and is lost when the fault maps its copy; if the PTE changes before the fault's
     * {@code pte_same}, the fault drops its copy, and a write after that is nobody's loss.
     */
    private static Option<Integer> copiedBy(State s, int frame) {
        for (int c = 0; c < s.cpus(); c++) {
            Option<Running> r = s.running(c);
            if (r.isDefined() && r.get().wroteOut() && r.get().unmapped(frame)) return Option.some(c);
            if (r.isEmpty() || r.get().oldFrame() != frame || r.get().newFrame() < 0) continue;
            Pte pte = s.pte(r.get().page());
            if (r.get().wrotePte() || PteCondition.READ_ONLY.test(pte, false) && pte.frame() == frame) {
                return Option.some(c);
            }
        }
        return Option.none();
    }

    @Override
    public boolean racy(Model model, Transition t) {
        State s = t.after();
        for (int c = 0; c < s.cpus(); c++) {
            Option<Running> r = s.running(c);
            // The window the rule is about: a migration has unmapped the frame and not yet copied it.
            if (r.isEmpty()) continue;
            if (r.get().oldFrame() >= 0 && r.get().newFrame() < 0 && r.get().wrotePte()
                    && Races.cpuOrSmmuTranslates(s, r.get().oldFrame())) {
                return true;
            }
            // Reclaim has unmapped the frame and will write it out: a TLB still writes to it.
            if (!r.get().wroteOut() && r.get().oldFrames() != 0 && writesOut(model, r.get())) {
                for (int f : r.get().oldFrameList()) if (Races.cpuOrSmmuTranslates(s, f, true)) return true;
            }
            // Copy-on-write copies first and replaces the PTE after: its window is a writable translation left
            // (by a write-protect whose flush is deferred) of the read-only PTE's frame it is about to copy.
            Pte pte = s.pte(r.get().page());
            if (!r.get().wrotePte() && PteCondition.READ_ONLY.test(pte, false)
                    && Races.cpuOrSmmuTranslates(s, pte.frame(), true) && copies(model, r.get())) {
                return true;
            }
        }
        return false;
    }

    /** Whether the procedure writes its unmapped frames out ({@code pageout}). */
    private static boolean writesOut(Model model, Running r) {
        return model.kernel().procedure(r.procedure()).ops().exists(op -> op.unwrapped() instanceof WriteOut);
    }

    /** Whether the procedure allocates a page to copy into ({@code cow_user_page}'s destination). */
    private static boolean copies(Model model, Running r) {
        return model.kernel().procedure(r.procedure()).ops().exists(op -> op.unwrapped() instanceof AllocFrame);
    }

    @Override
    public String racyState() {
        return "a TLB still translates to a frame a migration has unmapped and is about to copy, or still writes to"
                + " the frame of a read-only PTE a copy-on-write is about to copy, or to a frame reclaim has unmapped and is"
                + " about to write out";
    }

    @Override
    public Option<Violation> check(Model model, Transition t) {
        if (t.accessedFrame() < 0 || !isWrite(t)) return Option.none();
        State s = t.before();
        Option<Integer> cpu = copiedBy(s, t.accessedFrame());
        if (cpu.isEmpty()) return Option.none();
        Running r = s.running(cpu.get()).get();
        String by = model.kernel().procedure(r.procedure()).name() + " on CPU" + cpu.get();
        if (r.wroteOut()) {
            return Option.some(violation(t.step().actor() + " wrote frame f" + t.accessedFrame() + " after " + by
                            + " wrote it out (pageout): the write is lost when the frame is freed as clean",
                    "frame f" + t.accessedFrame() + " written out, written by " + t.step().actor()));
        }
        return Option.some(violation(t.step().actor() + " wrote frame f" + t.accessedFrame() + " after " + by
                        + " copied it to f" + r.newFrame() + ": the write is lost",
                "frame f" + t.accessedFrame() + " copied to f" + r.newFrame() + ", written by " + t.step().actor()));
    }
}
