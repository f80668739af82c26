package tlbcheck.report;

import io.vavr.collection.Array;
import tlbcheck.model.Kvm;
import tlbcheck.model.Model;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/** What a step changed, entry by entry, as TLC prints traces: only the parts that differ. */
public final class StateDiff {

    private StateDiff() {}

    public static Array<String> changes(Model model, State a, State b) {
        Array<String> out = Array.empty();
        for (int p = 0; p < a.pages(); p++) {
            if (!a.pte(p).equals(b.pte(p))) out = out.append("PTE p" + p + ": " + a.pte(p) + " -> " + b.pte(p));
            for (int c = 0; c < a.cpus(); c++) {
                if (!a.cpuTlb(c, p).equals(b.cpuTlb(c, p))) {
                    out = out.append("CPU" + c + " TLB p" + p + ": " + a.cpuTlb(c, p) + " -> " + b.cpuTlb(c, p));
                }
            }
            for (int m = 0; m < a.smmus(); m++) {
                if (!a.smmuTlb(m, p).equals(b.smmuTlb(m, p))) {
                    out = out.append("SMMU" + m + " TLB p" + p + ": " + a.smmuTlb(m, p) + " -> " + b.smmuTlb(m, p));
                }
                if (!a.atc(m, p).equals(b.atc(m, p))) {
                    out = out.append("DEV" + m + " ATC p" + p + ": " + a.atc(m, p) + " -> " + b.atc(m, p));
                }
            }
            if (a.locks().ptlHeld(p) != b.locks().ptlHeld(p)) {
                out = out.append("PTL p" + p + ": " + (b.locks().ptlHeld(p) ? "taken" : "released"));
            }
        }
        for (int f = 0; f < a.frames(); f++) {
            if (a.frameFree(f) != b.frameFree(f)) out = out.append("frame " + f + ": " + (b.frameFree(f) ? "freed" : "allocated"));
        }
        if (a.locks().mmapReaders() != b.locks().mmapReaders() || a.locks().mmapWriter() != b.locks().mmapWriter()) {
            out = out.append("mmap lock: " + mmap(b));
        }
        if (a.locks().rmapReaders() != b.locks().rmapReaders() || a.locks().rmapWriter() != b.locks().rmapWriter()) {
            out = out.append("rmap lock (i_mmap / anon_vma): " + (b.locks().rmapWriter() ? "held for write"
                    : b.locks().rmapReaders() > 0 ? "held for read by " + b.locks().rmapReaders() : "free"));
        }
        if (a.locks().tlbFlushPending() != b.locks().tlbFlushPending()) {
            out = out.append("tlb_flush_pending: " + a.locks().tlbFlushPending() + " -> " + b.locks().tlbFlushPending());
        }
        if (a.locks().tlbFlushBatched() != b.locks().tlbFlushBatched()) {
            out = out.append("batched flush: " + (b.locks().tlbFlushBatched() ? "pending" : "done"));
        }
        for (int c = 0; c < a.cpus(); c++) {
            if (a.running(c).isDefined() != b.running(c).isDefined()) {
                out = out.append("CPU" + c + ": " + b.running(c).map(r -> "enters " + name(model, r)).getOrElse("idle"));
            } else if (b.running(c).isDefined() && b.running(c).get().newFrame() >= 0
                    && a.running(c).get().newFrame() != b.running(c).get().newFrame()) {
                // The frame a copy-on-write or a migration copies into: what invariant 9 counts a write against.
                Running r = b.running(c).get();
                out = out.append("CPU" + c + " " + name(model, r) + ": new page f" + r.newFrame()
                        + (r.oldFrame() >= 0 ? ", the copy of f" + r.oldFrame() : ""));
            } else if (b.running(c).isDefined() && b.running(c).get().wroteOut() && !a.running(c).get().wroteOut()) {
                // What invariant 9 counts a later write against, until reclaim frees the frames.
                Running r = b.running(c).get();
                StringBuilder frames = new StringBuilder();
                for (int f : r.oldFrameList()) frames.append(frames.length() > 0 ? ", f" : "f").append(f);
                out = out.append("CPU" + c + " " + name(model, r) + ": " + frames + " written out");
            }
        }
        for (int d = 0; d < a.smmus(); d++) {
            if (!a.device(d).equals(b.device(d))) out = out.append("DEV" + d + ": " + b.device(d));
        }
        return b.kvm().present() ? out.appendAll(kvmChanges(a.kvm(), b.kvm(), a.pages(), a.cpus())) : out;
    }

    /** Stage 2, the vCPU TLBs (in their CPU's lane), and KVM's own counters and the APIC-access page. */
    private static Array<String> kvmChanges(Kvm a, Kvm b, int pages, int cpus) {
        Array<String> out = Array.empty();
        if (!a.s2Block().equals(b.s2Block())) out = out.append("stage 2 block: " + a.s2Block() + " -> " + b.s2Block());
        for (int g = 0; g < pages; g++) {
            if (!a.s2().get(g).equals(b.s2().get(g))) {
                out = out.append("stage 2 g" + g + ": " + a.s2().get(g) + " -> " + b.s2().get(g));
            }
            for (int c = 0; c < cpus; c++) {
                if (!a.vcpuTlb(c, g).equals(b.vcpuTlb(c, g))) {
                    out = out.append("CPU" + c + " vTLB g" + g + ": " + a.vcpuTlb(c, g) + " -> " + b.vcpuTlb(c, g));
                }
            }
        }
        for (int c = 0; c < cpus; c++) {
            if (!a.vcpuBlocks().get(c).equals(b.vcpuBlocks().get(c))) {
                out = out.append("CPU" + c + " vTLB block: " + a.vcpuBlocks().get(c) + " -> " + b.vcpuBlocks().get(c));
            }
            if (a.vcpuNoProgress(c) != b.vcpuNoProgress(c)) {
                out = out.append("vCPU" + c + " no-progress faults: " + b.vcpuNoProgress(c));
            }
        }
        if (a.apicFrame() != b.apicFrame()) out = out.append("VMCS APIC-access: f" + a.apicFrame() + " -> f" + b.apicFrame());
        if (a.apicReload() != b.apicReload()) out = out.append("APIC reload request: " + (b.apicReload() ? "pending" : "taken"));
        if (a.invalidating() != b.invalidating()) out = out.append("KVM invalidations in progress: " + b.invalidating());
        if (a.mmuLock() != b.mmuLock()) out = out.append("mmu_lock: " + (b.mmuLock() ? "taken" : "released"));
        return out;
    }

    private static String name(Model model, Running r) {
        return model.kernel().procedure(r.procedure()).name();
    }

    private static String mmap(State s) {
        return s.locks().mmapWriter() ? "held for write" : s.locks().mmapReaders() > 0
                ? "held for read by " + s.locks().mmapReaders() : "free";
    }
}
