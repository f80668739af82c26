package tlbcheck.model.kernel;

import io.vavr.collection.Array;
import tlbcheck.model.Model;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/**
 * A kernel procedure: a list of atomic ops run by one CPU, entered when its trigger allows.
 * {@link Seq} and {@link When} are flattened at construction, so the ops are what the CPU steps
 * through one at a time.
 *
 * @param ranged whether it is entered on a range of pages (a syscall: munmap, mprotect, madvise), up to the
 *     scope's {@code range}; a fault is entered on one page
 * @param span 0 for a range of any length up to the scope's {@code range}; k for a range of exactly k pages, as
 *     {@code huge_pmd_unshare} always covers a whole PMD ({@link #onPages})
 */
public record Procedure(String name, Trigger trigger, Array<Op> ops, boolean ranged, int span) {

    /**
     * Refuses, with the procedure's and the op's names, an op that can never do its work where it stands,
     * and a procedure that can only ever take and drop locks (it would end without any effect).
     */
    public Procedure {
        if (span < 0 || span > 0 && !ranged) {
            throw new IllegalArgumentException("procedure " + name + ": only a ranged procedure (Procedure.ranged) is"
                    + " entered on a number of pages, and it is 1 or more; got " + span);
        }
        if (!ops.isEmpty() && ops.forAll(Op::bookkeeping)) {
            throw new IllegalArgumentException("procedure " + name + " can end without any effect: its ops ("
                    + ops.map(Op::name).mkString(", ") + ") only take and drop locks or check; add the op that does"
                    + " its work");
        }
        for (int i = 0; i < ops.size(); i++) {
            for (String why : ops.get(i).misplaced(new Procedure(name, trigger, Array.empty(), ranged), i)) {
                throw new IllegalArgumentException("procedure " + name + ": op " + (i + 1) + " '" + ops.get(i).name()
                        + "' can never run there: " + why);
            }
            // A migration entry waits for remove_migration_ptes: with no new PTE after it, the page would stay
            // unmapped and its frame held by a migration that never ends, so a use after free could never show.
            if (ops.get(i).unwrapped() instanceof ClearPte c && c.migrationEntry()
                    && !ops.drop(i + 1).exists(op -> op.unwrapped() instanceof SetPteNewFrame)) {
                throw new IllegalArgumentException("procedure " + name + ": op " + (i + 1) + " '" + ops.get(i).name()
                        + "' sets a migration entry, which only a migration's new PTE (SetPteNewFrame) after it"
                        + " replaces; to unmap the page use ClearPte.UNMAP (zap_pte_range) or ClearPte.RMAP_UNMAP"
                        + " (try_to_unmap_one)");
            }
        }
    }

    public Procedure(String name, Trigger trigger, Array<Op> ops) {
        this(name, trigger, ops, false);
    }

    public Procedure(String name, Trigger trigger, Array<Op> ops, boolean ranged) {
        this(name, trigger, ops, ranged, 0);
    }

    public static Procedure of(String name, Trigger trigger, Op... ops) {
        return new Procedure(name, trigger, flatten(Array.of(ops)), false);
    }

    /** A procedure entered on a range of pages: its PTE, lock and flush ops act on every page of the range. */
    public static Procedure ranged(String name, Trigger trigger, Op... ops) {
        return new Procedure(name, trigger, flatten(Array.of(ops)), true);
    }

    /**
     * The same ranged procedure, entered only on ranges of exactly {@code pages} pages: a path whose range the
     * hardware fixes, as {@code huge_pmd_unshare} unshares a whole PMD, and which no caller runs on one page of it.
     * A scope whose {@code range} is smaller cannot run it, and {@link tlbcheck.model.Model} refuses that scope.
     */
    public Procedure onPages(int pages) {
        if (!ranged || pages < 1) {
            throw new IllegalArgumentException("onPages(" + pages + ") on " + name + ": only a ranged procedure"
                    + " (Procedure.ranged) is entered on a number of pages, and it is 1 or more");
        }
        return new Procedure(name, trigger, ops, true, pages);
    }

    /** Whether a CPU may enter it on {@code pages} pages, in a scope whose ranges go up to {@code range} pages. */
    public boolean entersOn(int pages, int range) {
        return span > 0 ? pages == span : pages == 1 || ranged && pages >= 1 && pages <= range;
    }

    public int length() {
        return ops.size();
    }

    /**
     * The same procedure without the op, wherever it is: the line a patch deletes, or a fix reverted, e.g.
     * {@code paths.procedure("write_protect").without(TlbBatch.FLUSH_PENDING)} is {@code change_pte_range} before
     * 3ea277194daa. Ops are compared unwrapped ({@link Op#named} names do not matter); a check that jumps over the op
     * jumps over one op fewer. Refused when the procedure has no such op, naming those it has.
     */
    public Procedure without(Op op) {
        Op gone = op.unwrapped();
        if (skipOf(gone) >= 0) {
            throw new IllegalArgumentException("without(" + gone.name() + ") would remove a check's jump from " + name
                    + "; write the procedure out without the check instead");
        }
        Array<Op> out = ops;
        boolean found = false;
        for (int k = out.size() - 1; k >= 0; k--) {
            if (!out.get(k).unwrapped().equals(gone)) continue;
            found = true;
            for (int i = 0; i < k; i++) {
                int skip = skipOf(out.get(i));
                if (skip >= 0 && k <= i + skip) out = out.update(i, withSkip(out.get(i), skip - 1));
            }
            out = out.removeAt(k);
        }
        if (!found) {
            throw new IllegalArgumentException(name + " has no op " + gone.name() + "; it has: "
                    + ops.map(Op::name).mkString(", "));
        }
        return new Procedure(name, trigger, out, ranged, span);
    }

    /** How many ops a check or branch jumps over; -1 for an op that does not jump. */
    private static int skipOf(Op op) {
        if (op instanceof SkipUnless s) return s.skip();
        if (op instanceof SkipUnlessBbm2 s) return s.skip();
        if (op instanceof Goto g) return g.skip();
        return -1;
    }

    private static Op withSkip(Op op, int skip) {
        if (op instanceof SkipUnless s) return new SkipUnless(s.condition(), skip);
        if (op instanceof SkipUnlessBbm2) return new SkipUnlessBbm2(skip);
        return new Goto(skip);
    }

    public Op op(int pc) {
        return ops.get(pc);
    }

    /**
     * Whether a CPU standing at op {@code pc} holds a spinlock: a page-table lock ({@link #holdsPtlAt}) or KVM's
     * {@code mmu_lock} ({@link KvmLock}), under which nothing else runs on that CPU.
     */
    public boolean holdsSpinlockAt(int pc) {
        return holdsPtlAt(pc) || held(pc, op -> op instanceof KvmLock k ? (k.take() ? 1 : -1) : 0);
    }

    /** Whether a CPU standing at op {@code pc} holds the page-table lock it took with {@link PtlLock}. */
    public boolean holdsPtlAt(int pc) {
        return held(pc, op -> op instanceof PtlLock ? 1 : op instanceof PtlUnlock ? -1 : 0);
    }

    /** Whether the ops before {@code pc} take a lock more often than they drop it ({@code change}: +1, -1 or 0). */
    private boolean held(int pc, java.util.function.ToIntFunction<Op> change) {
        int held = 0;
        for (int i = 0; i < pc && i < ops.size(); i++) held += change.applyAsInt(ops.get(i).unwrapped());
        return held > 0;
    }

    /** Runs the silent ops the CPU's procedure stands at, as part of the step that brought it there. */
    public State settle(Model model, State state, int cpu) {
        State s = state;
        Running r = s.running(cpu).get();
        while (r.pc() < ops.size() && ops.get(r.pc()).silent()) {
            s = ops.get(r.pc()).apply(model, s, cpu, r);
            r = s.running(cpu).get();
        }
        return s;
    }

    /**
     * What the op this CPU stands at does if it runs now, with the silent ops that run in the same step:
     * its name and what it invalidated, or "skipped" with the reason, and the ops a check jumped over.
     * Traces print this, so a flush that did not happen never reads as one that did.
     */
    public String narrate(Model model, State state, int cpu) {
        Running r = state.running(cpu).get();
        Op op = ops.get(r.pc());
        State s = op.apply(model, state, cpu, r);
        Running moved = s.running(cpu).get();
        StringBuilder text = new StringBuilder();
        if (moved.pc() == r.pc() + 1 && op.skipped(model, state, s, cpu, r)) {
            text.append("skipped ").append(op.name()).append(" (").append(op.skipReason(model, state, cpu, r)).append(')');
        } else {
            text.append(op.describe(model, state, cpu, r)).append(effect(op, state, s));
            if (moved.pc() > r.pc() + 1) {
                text.append("; skipped ").append(names(r.pc() + 1, moved.pc()))
                        .append(" (").append(op.skipReason(model, state, cpu, r)).append(')');
            }
        }
        while (moved.pc() < ops.size() && ops.get(moved.pc()).silent()) {
            Op silent = ops.get(moved.pc());
            State next = silent.apply(model, s, cpu, moved);
            Running after = next.running(cpu).get();
            if (!next.equals(s.withRunning(cpu, moved.jump(after.pc() - moved.pc())))) {
                text.append("; ").append(silent.describe(model, s, cpu, moved)).append(effect(silent, s, next));
            }
            if (after.pc() > moved.pc() + 1) {
                String skipped = names(moved.pc() + 1, after.pc());
                if (!skipped.isEmpty()) {
                    text.append("; skipped ").append(skipped)
                            .append(" (").append(silent.skipReason(model, s, cpu, moved)).append(')');
                }
            }
            s = next;
            moved = after;
        }
        return text.toString();
    }

    /** The non-silent ops in [from, to), by name. */
    private String names(int from, int to) {
        return ops.subSequence(from, Math.min(to, ops.size())).filter(o -> !o.silent()).map(Op::name).mkString(", ");
    }

    /** The TLB entries an op dropped, for invalidations: "-> CPU1, SMMU0" or "-> nothing cached". */
    private static String effect(Op op, State before, State after) {
        if (!op.invalidates()) return "";
        java.util.List<String> dropped = new java.util.ArrayList<>();
        for (int c = 0; c < before.cpus(); c++) {
            if (gone(before.cpuTlbs().get(c), after.cpuTlbs().get(c))) dropped.add("CPU" + c);
        }
        for (int m = 0; m < before.smmus(); m++) {
            if (gone(before.smmuTlbs().get(m), after.smmuTlbs().get(m))) dropped.add("SMMU" + m);
        }
        for (int d = 0; d < before.atcs().size(); d++) {
            if (gone(before.atcs().get(d), after.atcs().get(d))) dropped.add("DEV" + d + "'s ATC");
        }
        var k0 = before.kvm();
        var k1 = after.kvm();
        for (int c = 0; k0.present() && c < k0.vcpuTlbs().size(); c++) {
            if (gone(k0.vcpuTlbs().get(c), k1.vcpuTlbs().get(c))
                    || k0.vcpuBlocks().get(c).present() && !k1.vcpuBlocks().get(c).present()) {
                dropped.add("vCPU" + c);
            }
        }
        return dropped.isEmpty() ? " -> nothing cached" : " -> " + String.join(", ", dropped);
    }

    private static boolean gone(Array<tlbcheck.model.Pte> before, Array<tlbcheck.model.Pte> after) {
        for (int p = 0; p < before.size(); p++) {
            if (before.get(p).present() && !after.get(p).present()) return true;
        }
        return false;
    }

    static Array<Op> flatten(Array<Op> ops) {
        Array<Op> out = Array.empty();
        for (Op op : ops) {
            if (op instanceof Seq seq) {
                out = out.appendAll(flatten(seq.ops()));
            } else if (op instanceof When when) {
                Array<Op> body = flatten(when.body());
                out = out.append(new SkipUnless(when.condition(), body.size())).appendAll(body);
            } else if (op instanceof IfBbm2 branch) {
                Array<Op> yes = flatten(branch.bbm2());
                Array<Op> no = flatten(branch.otherwise());
                out = out.append(new SkipUnlessBbm2(yes.size() + 1)).appendAll(yes).append(new Goto(no.size())).appendAll(no);
            } else {
                out = out.append(op);
            }
        }
        return out;
    }
}
