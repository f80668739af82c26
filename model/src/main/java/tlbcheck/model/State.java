package tlbcheck.model;

import io.vavr.collection.Array;
import io.vavr.control.Option;

/**
 * The whole machine at one instant, as one immutable value: the process page table, every CPU and
 * SMMU TLB, the frames, the locks, the procedures in flight (one slot per CPU) and the devices.
 * Two equal states are {@code equals} and hash alike, so random and exhaustive search share it.
 *
 * @param freeRank per frame: 0 while it is in use; for a free frame, its place on the free list, 1 for the
 *     frame the allocator hands out next. The list is last in, first out, as the per-CPU free lists are
 *     ({@code free_unref_page} puts a page at the head, {@code rmqueue_pcplist} takes the head): the frame freed
 *     last, the one a stale TLB most likely still names, is reused first. The order depends only on what was
 *     freed when, never on frame numbers, so renaming frames is a symmetry of the model that the explorer uses.
 * @param atcs per device, its ATC's entry for each page ({@link Platform#ats}); empty throughout without ATS
 */
public record State(Array<Pte> ptes,
                    Array<Array<Pte>> cpuTlbs,
                    Array<Array<Pte>> smmuTlbs,
                    Array<Integer> freeRank,
                    Locks locks,
                    Array<Option<Running>> running,
                    Array<Device> devices,
                    Kvm kvm,
                    Array<Array<Pte>> atcs) {

    /**
     * Page i mapped to frame i, read-write for the first {@code scope.writable()} pages and read-only for the rest,
     * except that the last {@code scope.aliases()} pages map the first pages' frames again (page
     * {@code pages - aliases + i} maps frame i); the remaining frames free, the lowest first on the free list; every
     * cache empty.
     * Under an arm64 VM, guest memory is the stage-2 block's and the process maps none of it, unless the VM runs on the
     * host mm: then the process maps it and stage 2 starts empty, to be faulted in from the PTEs.
     */
    public static State initial(Scope scope, Platform platform) {
        boolean arm64 = platform.guest() == Platform.Guest.ARM64_STAGE2 && !platform.hostMm();
        int distinct = scope.pages() - scope.aliases();
        Array<Pte> ptes = Array.range(0, scope.pages())
                .map(p -> arm64 ? Pte.INVALID
                        : Pte.valid(p < distinct ? p : p - distinct, p < scope.writable() ? Perm.RW : Perm.RO));
        Array<Pte> emptyTlb = Array.fill(scope.pages(), Pte.INVALID);
        Kvm kvm = platform.guest().x86() ? Kvm.x86(scope, platform.apicAccessPage()) : arm64 ? Kvm.arm64(scope)
                : platform.guest() == Platform.Guest.ARM64_STAGE2 ? Kvm.arm64OnHostMm(scope) : Kvm.NONE;
        return new State(ptes,
                Array.fill(scope.cpus(), emptyTlb),
                Array.fill(scope.smmus(), emptyTlb),
                Array.range(0, scope.frames()).map(f -> f < distinct ? 0 : f - distinct + 1),
                Locks.free(scope.pages()),
                Array.fill(scope.cpus(), Option.none()),
                Array.fill(scope.smmus(), Device.IDLE),
                kvm,
                Array.fill(scope.smmus(), emptyTlb));
    }

    public int pages() { return ptes.size(); }
    public int cpus() { return cpuTlbs.size(); }
    public int smmus() { return smmuTlbs.size(); }
    public int frames() { return freeRank.size(); }

    public Pte pte(int page) { return ptes.get(page); }
    public Pte cpuTlb(int cpu, int page) { return cpuTlbs.get(cpu).get(page); }
    public Pte smmuTlb(int smmu, int page) { return smmuTlbs.get(smmu).get(page); }
    /** Device {@code dev}'s ATC entry for the page (none without ATS). */
    public Pte atc(int dev, int page) { return atcs.get(dev).get(page); }
    public boolean frameFree(int frame) { return freeRank.get(frame) > 0; }

    /** The free frames, a bit per frame: for checks that ask {@link #frameFree} of many entries. */
    public int freeFrames() {
        int mask = 0;
        for (int f = 0; f < freeRank.size(); f++) if (freeRank.get(f) > 0) mask |= 1 << f;
        return mask;
    }
    public Option<Running> running(int cpu) { return running.get(cpu); }
    public Device device(int dev) { return devices.get(dev); }

    /**
     * Writes a PTE. Writing resets the no-progress count of every device access to that page. A write that changes a
     * valid entry's frame without a break leaves every TLB caching the page holding both translations
     * ({@link TranslationCache}); no debt is paid by that, since the old entry is still there.
     */
    public State withPte(int page, Pte pte) {
        Array<Array<Pte>> cpu = TranslationCache.remap(cpuTlbs, page, ptes.get(page), pte);
        Array<Array<Pte>> smmu = TranslationCache.remap(smmuTlbs, page, ptes.get(page), pte);
        Array<Array<Pte>> atc = TranslationCache.remap(atcs, page, ptes.get(page), pte);
        Array<Device> devs = devices;
        for (int d = 0; d < devs.size(); d++) {
            Device dev = devs.get(d);
            if (dev.outstanding() && dev.page() == page && dev.noProgress() != 0) {
                devs = devs.update(d, new Device(dev.status(), dev.page(), dev.write(), 0));
            }
        }
        return new State(ptes.update(page, pte), cpu, smmu, freeRank, locks, running, devs, kvm, atc);
    }

    /** Changes a CPU TLB entry; a procedure that owed this entry's invalidation no longer does. */
    public State withCpuTlb(int cpu, int page, Pte entry) {
        return new State(ptes, cpuTlbs.update(cpu, cpuTlbs.get(cpu).update(page, entry)),
                smmuTlbs, freeRank, locks, paid(running, page, Running.cpuBit(cpu)), devices, kvm, atcs);
    }

    public State withSmmuTlb(int smmu, int page, Pte entry) {
        return new State(ptes, cpuTlbs, smmuTlbs.update(smmu, smmuTlbs.get(smmu).update(page, entry)),
                freeRank, locks, paid(running, page, Running.smmuBit(smmu) | Running.smmuDiffersBit(smmu)), devices, kvm, atcs);
    }

    /** Changes a device's ATC entry. */
    public State withAtc(int dev, int page, Pte entry) {
        return new State(ptes, cpuTlbs, smmuTlbs, freeRank, locks, running, devices, kvm,
                atcs.update(dev, atcs.get(dev).update(page, entry)));
    }

    /** Drops the page from every device's ATC ({@code CMD_ATC_INV} to each, then CMD_SYNC). */
    public State invalidateAtcs(int page) {
        State s = this;
        for (int d = 0; d < atcs.size(); d++) {
            if (s.atc(d, page).present()) s = s.withAtc(d, page, Pte.INVALID);
        }
        return s;
    }

    /**
     * The CPU and SMMU TLBs whose entry for the page grants more than {@code pte} (and the SMMUs whose entry
     * differs from it at all): what a procedure that writes {@code pte} there owes an invalidation to.
     */
    public int tlbsBeyond(int page, Pte pte) {
        int mask = 0;
        for (int c = 0; c < cpus(); c++) {
            if (cpuTlb(c, page).exceeds(pte)) mask |= Running.cpuBit(c);
        }
        for (int m = 0; m < smmus(); m++) {
            if (smmuTlb(m, page).exceeds(pte)) mask |= Running.smmuBit(m);
            if (smmuTlb(m, page).present() && !smmuTlb(m, page).equals(pte)) mask |= Running.smmuDiffersBit(m);
        }
        return mask;
    }

    /** The TLB invalidations other procedures in flight on this page still owe (their {@link Running#owed} bits). */
    public int debtsOn(int page, int exceptCpu) {
        int bits = 0;
        for (int c = 0; c < running.size(); c++) {
            Option<Running> r = running.get(c);
            if (c != exceptCpu && r.isDefined()) bits |= r.get().owedOn(page);
        }
        return bits;
    }

    /**
     * The TLBs a PTE write from {@code old} to {@code next} makes stale: entries that grant more than (or, for
     * the SMMU bits of invariant 1, differ from) the new PTE and did not already against the old one. An
     * entry that was stale before is some earlier writer's to invalidate.
     */
    public int tlbsMadeStale(int page, Pte old, Pte next) {
        return tlbsBeyond(page, next) & ~tlbsBeyond(page, old);
    }

    /** Clears the given TLB bits from the debts of the procedures in flight on this page. */
    private static Array<Option<Running>> paid(Array<Option<Running>> running, int page, int bits) {
        Array<Option<Running>> out = running;
        for (int c = 0; c < running.size(); c++) {
            Option<Running> o = running.get(c);
            if (o.isDefined() && (o.get().owedOn(page) & bits) != 0) {
                out = out.update(c, Option.some(o.get().paid(page, bits)));
            }
        }
        return out;
    }

    /**
     * Allocates a free frame ({@code inUse}), taking it off the free list, or frees one, putting it at the head of
     * the list; a frame already so is left where it is.
     */
    public State withFrame(int frame, boolean inUse) {
        int rank = freeRank.get(frame);
        if (inUse == (rank == 0)) return this;
        Integer[] next = freeRank.toJavaArray(Integer[]::new);
        for (int f = 0; f < next.length; f++) {
            if (inUse && next[f] > rank) next[f] = next[f] - 1;
            if (!inUse && next[f] > 0) next[f] = next[f] + 1;
        }
        next[frame] = inUse ? 0 : 1;
        return new State(ptes, cpuTlbs, smmuTlbs, Array.of(next), locks, running, devices, kvm, atcs);
    }

    public State withLocks(Locks next) {
        return new State(ptes, cpuTlbs, smmuTlbs, freeRank, next, running, devices, kvm, atcs);
    }

    public State withRunning(int cpu, Option<Running> next) {
        return new State(ptes, cpuTlbs, smmuTlbs, freeRank, locks, running.update(cpu, next), devices, kvm, atcs);
    }

    public State withRunning(int cpu, Running next) {
        return withRunning(cpu, Option.some(next));
    }

    /** Replaces KVM's state; a procedure that owed an invalidation of a vCPU entry that changed no longer does. */
    public State withKvm(Kvm next) {
        Array<Option<Running>> r = running;
        for (int c = 0; c < r.size(); c++) {
            Option<Running> o = r.get(c);
            if (o.isEmpty() || o.get().owed() == 0) continue;
            for (int page = o.get().page(); page <= o.get().lastPage(); page++) {
                for (int v = 0; v < kvm.vcpuTlbs().size(); v++) {
                    if (!TranslationCache.keeps(kvm.vcpuTlb(v, page), next.vcpuTlb(v, page))) r = paid(r, page, Running.vcpuBit(v));
                    if (!kvm.vcpuBlocks().get(v).equals(next.vcpuBlocks().get(v))) r = paid(r, page, Running.vcpuBlockBit(v));
                }
            }
        }
        return new State(ptes, cpuTlbs, smmuTlbs, freeRank, locks, r, devices, next, atcs);
    }

    public State withDevice(int dev, Device next) {
        return new State(ptes, cpuTlbs, smmuTlbs, freeRank, locks, running, devices.update(dev, next), kvm, atcs);
    }

    /**
     * How many PTEs map the frame ({@code page_mapcount}), migration entries included: they hold the frame for
     * the migration that installed them.
     */
    public int mapcount(int frame) {
        int n = 0;
        for (int p = 0; p < ptes.size(); p++) {
            Pte pte = ptes.get(p);
            if ((pte.present() || pte instanceof Pte.Migration) && pte.frame() == frame) n++;
        }
        return n;
    }

    /**
     * Whether a procedure on a CPU other than {@code cpu} still holds the reference its own unmap of the frame took
     * (it frees the frame itself when it drops it). A frame a procedure allocated is not counted: the model's
     * procedures never drop that reference, so it would pin the frame forever.
     */
    public boolean heldElsewhere(int frame, int cpu) {
        for (int c = 0; c < running.size(); c++) {
            Option<Running> r = running.get(c);
            if (c != cpu && r.isDefined() && r.get().unmapped(frame)) return true;
        }
        return false;
    }

    /**
     * The frame the allocator hands out next: the one freed last ({@link #freeRank}), or -1 when none is free. The
     * allocator's real choice depends on much the model leaves out; the head of the free list is the choice that
     * reuses a frame soonest after it is freed.
     */
    public int nextFreeFrame() {
        for (int f = 0; f < freeRank.size(); f++) {
            if (freeRank.get(f) == 1) {
                return f;
            }
        }
        return -1;
    }

    /** True when a procedure in flight has written this page's PTE and not yet finished its maintenance. */
    public boolean maintenancePending(int page) {
        for (int c = 0; c < running.size(); c++) {
            Option<Running> r = running.get(c);
            if (r.isDefined() && r.get().wrotePte() && r.get().covers(page)) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when a procedure on a CPU other than {@code cpu} has changed this page's translation and not
     * finished its maintenance (for stage 2, any page: block changes cover the whole guest range). A fair
     * scheduler runs it to its invalidation, so a fault raised meanwhile is no sign of a livelock.
     */
    public boolean translationChangeInFlight(int page, int cpu, boolean stage2) {
        for (int c = 0; c < running.size(); c++) {
            Option<Running> r = running.get(c);
            if (c != cpu && r.isDefined() && r.get().wrotePte() && (stage2 || r.get().covers(page))) {
                return true;
            }
        }
        return false;
    }

    /** Drops the page from every CPU TLB (a broadcast TLBI) and, with BTM, from every SMMU TLB. */
    public State broadcastTlbi(int page, boolean btm) {
        State s = this;
        for (int c = 0; c < cpus(); c++) {
            if (s.cpuTlb(c, page).present()) {
                s = s.withCpuTlb(c, page, Pte.INVALID);
            }
        }
        return btm ? s.invalidateSmmus(page) : s;
    }

    /** Drops the page from every SMMU TLB (TLBI by VA followed by CMD_SYNC on each SMMU). */
    public State invalidateSmmus(int page) {
        State s = this;
        for (int m = 0; m < smmus(); m++) {
            if (s.smmuTlb(m, page).present()) {
                s = s.withSmmuTlb(m, page, Pte.INVALID);
            }
        }
        return s;
    }
}
