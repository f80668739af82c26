package tlbcheck.explore;

import io.vavr.collection.Array;
import io.vavr.control.Option;
import tlbcheck.model.Device;
import tlbcheck.model.Kvm;
import tlbcheck.model.Locks;
import tlbcheck.model.Pte;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/**
 * A state with its CPUs, pages and frames given other numbers: CPU c becomes {@code cpus[c]}, page p becomes
 * {@code pages[p]}, frame f becomes {@code frames[f]}. Written apart from the codec, so that the codec's own renaming
 * is checked against it. KVM's stage 2, its vCPUs' TLBs and the APIC-access page are renamed too; the caller keeps
 * guest pages in place where the codec does.
 */
final class Renaming {

    private Renaming() {}

    static State of(State s, int[] cpus, int[] pages, int[] frames) {
        Pte[] ptes = new Pte[s.pages()];
        Boolean[] ptl = new Boolean[s.pages()];
        for (int p = 0; p < s.pages(); p++) {
            ptes[pages[p]] = frame(s.pte(p), frames);
            ptl[pages[p]] = s.locks().ptlHeld(p);
        }
        Array<Array<Pte>> cpuTlbs = tlbs(s.cpuTlbs(), cpus, pages, frames);
        Array<Array<Pte>> smmuTlbs = tlbs(s.smmuTlbs(), identity(s.smmus()), pages, frames);
        Array<Array<Pte>> atcs = tlbs(s.atcs(), identity(s.smmus()), pages, frames);
        Integer[] rank = new Integer[s.frames()];
        for (int f = 0; f < s.frames(); f++) rank[frames[f]] = s.freeRank().get(f);
        Locks l = s.locks();
        Locks locks = new Locks(l.mmapReaders(), l.mmapWriter(), Array.of(ptl), l.tlbFlushPending(), l.rmapReaders(),
                l.rmapWriter(), l.tlbFlushBatched());
        java.util.List<Option<Running>> running = new java.util.ArrayList<>(java.util.Collections.nCopies(s.cpus(), Option.none()));
        for (int c = 0; c < s.cpus(); c++) running.set(cpus[c], s.running(c).map(r -> running(r, cpus, pages, frames)));
        Array<Device> devices = s.devices().map(d -> d.outstanding()
                ? new Device(d.status(), pages[d.page()], d.write(), d.noProgress()) : d);
        Kvm k = s.kvm();
        Kvm kvm = k;
        if (k.present()) {
            Pte[] s2 = new Pte[s.pages()];
            for (int p = 0; p < s.pages(); p++) s2[pages[p]] = frame(k.s2().get(p), frames);
            kvm = new Kvm(k.invalidating(), k.mmuLock(), Array.of(s2), frame(k.s2Block(), frames),
                    permuted(tlbs(k.vcpuTlbs(), identity(s.cpus()), pages, frames), cpus),
                    permuted(k.vcpuBlocks().map(e -> frame(e, frames)), cpus),
                    k.apicFrame() < 0 ? k.apicFrame() : frames[k.apicFrame()], k.apicReload(), k.apicReloading(),
                    permuted(k.vcpuNoProgress(), cpus));
        }
        return new State(Array.of(ptes), cpuTlbs, smmuTlbs, Array.of(rank), locks, Array.ofAll(running), devices, kvm, atcs);
    }

    private static Running running(Running r, int[] cpus, int[] pages, int[] frames) {
        Running old = r.withoutOldFrames();
        for (int f : r.oldFrameList()) old = old.plusOldFrame(frames[f]);
        return new Running(r.procedure(), r.pc(), pages[r.page()], r.pages(), pages[r.ptep()], r.write(), r.device(),
                r.newFrame() < 0 ? r.newFrame() : frames[r.newFrame()], old.oldFrames(), r.wrotePte(), r.flushes(), r.secondary(),
                r.inRange(), r.seqMoved(), snapshot(r.snapshot(), frames), owed(r.owed(), cpus), r.wroteOut());
    }

    /** A snapshot is one PTE's code, or (a stage-2 collapse, where frames keep their numbers) several: renamed if one. */
    private static int snapshot(int code, int[] frames) {
        boolean identity = true;
        for (int f = 0; f < frames.length; f++) identity &= frames[f] == f;
        return identity || code == 0 ? code : frame(Pte.fromCode(code), frames).code();
    }

    /** The owed-TLB bits with each CPU's bits (its TLB, its vCPU's TLB and block entry) moved to its new number. */
    private static long owed(long owed, int[] cpus) {
        long out = 0;
        for (int shift = 0; shift < 64; shift += Running.OWED_BITS) {
            int group = (int) (owed >>> shift) & ((1 << Running.OWED_BITS) - 1);
            int renamed = group;
            for (int c = 0; c < cpus.length; c++) {
                renamed &= ~(Running.cpuBit(c) | Running.vcpuBit(c) | Running.vcpuBlockBit(c));
            }
            for (int c = 0; c < cpus.length; c++) {
                if ((group & Running.cpuBit(c)) != 0) renamed |= Running.cpuBit(cpus[c]);
                if ((group & Running.vcpuBit(c)) != 0) renamed |= Running.vcpuBit(cpus[c]);
                if ((group & Running.vcpuBlockBit(c)) != 0) renamed |= Running.vcpuBlockBit(cpus[c]);
            }
            out |= (long) renamed << shift;
        }
        return out;
    }

    private static Array<Array<Pte>> tlbs(Array<Array<Pte>> tlbs, int[] who, int[] pages, int[] frames) {
        Pte[][] out = new Pte[tlbs.size()][];
        for (int c = 0; c < tlbs.size(); c++) {
            Pte[] row = new Pte[pages.length];
            for (int p = 0; p < pages.length; p++) row[pages[p]] = frame(tlbs.get(c).get(p), frames);
            out[who[c]] = row;
        }
        return Array.of(out).map(Array::of);
    }

    private static <T> Array<T> permuted(Array<T> a, int[] to) {
        @SuppressWarnings("unchecked")
        T[] out = (T[]) new Object[a.size()];
        for (int i = 0; i < a.size(); i++) out[to[i]] = a.get(i);
        return Array.of(out);
    }

    private static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        return a;
    }

    private static Pte frame(Pte e, int[] frames) {
        if (e instanceof Pte.Valid v) return Pte.valid(frames[v.frame()], v.perm());
        if (e instanceof Pte.Migration m) return Pte.Migration.of(frames[m.frame()]);
        if (e instanceof Pte.Both b) {
            return Pte.Both.of((Pte.Valid) frame(b.older(), frames), (Pte.Valid) frame(b.newer(), frames));
        }
        return e;
    }
}
