package tlbcheck.model;

import io.vavr.collection.Array;

/**
 * KVM's side of one VM: the stage-2 table (per guest page, and one block entry covering all guest
 * pages, arm64 only), the vCPU TLBs above it (vCPU i runs on CPU i; entries are tagged by the VM's
 * VMID, and with one VM the tag is implicit), KVM's invalidation in-progress count and mmu_lock,
 * and the x86 APIC-access page: a frame address cached in the VMCS, reloaded on request by the
 * vCPU that owns the VMCS (so one reload at a time).
 * Guest page g is backed by process page g.
 */
public record Kvm(int invalidating, boolean mmuLock, Array<Pte> s2, Pte s2Block, Array<Array<Pte>> vcpuTlbs,
                  Array<Pte> vcpuBlocks, int apicFrame, boolean apicReload, boolean apicReloading,
                  Array<Integer> vcpuNoProgress) {

    public static final Kvm NONE = new Kvm(0, false, Array.empty(), Pte.INVALID, Array.empty(), Array.empty(), -1, false, false, Array.empty());

    /** The guest page whose frame the x86 VMCS caches as the APIC-access page. */
    public static final int APIC_PAGE = 0;

    /**
     * x86: stage 2 empty (filled by fault-ins); the APIC-access page, if the VM has one, loaded with page 0's
     * frame, 0.
     */
    public static Kvm x86(Scope scope, boolean apicAccessPage) {
        return new Kvm(0, false, Array.fill(scope.pages(), Pte.INVALID), Pte.INVALID,
                Array.fill(scope.cpus(), Array.fill(scope.pages(), Pte.INVALID)), Array.fill(scope.cpus(), Pte.INVALID),
                apicAccessPage ? APIC_PAGE : -1, false, false, Array.fill(scope.cpus(), 0));
    }

    /** arm64: guest memory mapped by one RW block entry, guest page g to frame g. */
    public static Kvm arm64(Scope scope) {
        return new Kvm(0, false, Array.fill(scope.pages(), Pte.INVALID), Pte.valid(0, Perm.RW),
                Array.fill(scope.cpus(), Array.fill(scope.pages(), Pte.INVALID)), Array.fill(scope.cpus(), Pte.INVALID),
                -1, false, false, Array.fill(scope.cpus(), 0));
    }

    /** arm64 on the host mm: stage 2 empty, filled by fault-ins from the process PTEs (guest page g is process page g). */
    public static Kvm arm64OnHostMm(Scope scope) {
        return new Kvm(0, false, Array.fill(scope.pages(), Pte.INVALID), Pte.INVALID,
                Array.fill(scope.cpus(), Array.fill(scope.pages(), Pte.INVALID)), Array.fill(scope.cpus(), Pte.INVALID),
                -1, false, false, Array.fill(scope.cpus(), 0));
    }

    public boolean present() {
        return !s2.isEmpty();
    }

    public Pte vcpuTlb(int cpu, int page) {
        return vcpuTlbs.get(cpu).get(page);
    }

    /** What the stage-2 table maps guest page g to: its page entry, or the block entry's page. */
    public Pte mapping(int page) {
        if (s2Block instanceof Pte.Valid b) return Pte.valid(b.frame() + page, b.perm());
        return s2.get(page);
    }

    /** Everything a vCPU's TLB may translate guest page g with: its page entry and its block entry. */
    public Pte[] vcpuTranslations(int cpu, int page) {
        return new Pte[] {vcpuTlb(cpu, page), blockMapping(cpu, page)};
    }

    /** The vCPU TLB entries for guest page g that grant more than {@code mapping} (bits of {@link Running}). */
    public int vcpusBeyond(int page, Pte mapping) {
        int mask = 0;
        for (int c = 0; c < vcpuTlbs.size(); c++) {
            if (vcpuTlb(c, page).exceeds(mapping)) mask |= Running.vcpuBit(c);
            if (blockMapping(c, page).exceeds(mapping)) mask |= Running.vcpuBlockBit(c);
        }
        return mask;
    }

    /** The vCPU TLB entries a stage-2 change of guest page g from {@code old} to {@code next} makes stale. */
    public int vcpusMadeStale(int page, Pte old, Pte next) {
        return vcpusBeyond(page, next) & ~vcpusBeyond(page, old);
    }

    /** What a vCPU's cached block entry maps guest page g to. */
    public Pte blockMapping(int cpu, int page) {
        Pte b = vcpuBlocks.get(cpu);
        return b instanceof Pte.Valid v ? Pte.valid(v.frame() + page, v.perm()) : Pte.INVALID;
    }

    public Kvm withInvalidating(int n) {
        return new Kvm(n, mmuLock, s2, s2Block, vcpuTlbs, vcpuBlocks, apicFrame, apicReload, apicReloading, vcpuNoProgress);
    }

    public Kvm withMmuLock(boolean held) {
        return new Kvm(invalidating, held, s2, s2Block, vcpuTlbs, vcpuBlocks, apicFrame, apicReload, apicReloading, vcpuNoProgress);
    }

    /**
     * Writes a stage-2 page entry; a change, like a PTE write for devices, resets the vCPUs' no-progress counts. A
     * change of frame without a break leaves the vCPUs caching the page holding both ({@link TranslationCache}).
     */
    public Kvm withS2(int page, Pte entry) {
        Array<Array<Pte>> tlbs = TranslationCache.remap(vcpuTlbs, page, s2.get(page), entry);
        return new Kvm(invalidating, mmuLock, s2.update(page, entry), s2Block, tlbs, vcpuBlocks, apicFrame, apicReload,
                apicReloading, s2.get(page).equals(entry) ? vcpuNoProgress : zeroed(vcpuNoProgress));
    }

    private static Array<Integer> zeroed(Array<Integer> counts) {
        return counts.exists(c -> c != 0) ? counts.map(c -> 0) : counts;
    }

    public int vcpuNoProgress(int cpu) {
        return vcpuNoProgress.get(cpu);
    }

    public Kvm withVcpuNoProgress(int cpu, int count) {
        return new Kvm(invalidating, mmuLock, s2, s2Block, vcpuTlbs, vcpuBlocks, apicFrame, apicReload, apicReloading,
                vcpuNoProgress.update(cpu, count));
    }

    public Kvm withS2Block(Pte entry) {
        return new Kvm(invalidating, mmuLock, s2, entry, vcpuTlbs, vcpuBlocks, apicFrame, apicReload, apicReloading,
                s2Block.equals(entry) ? vcpuNoProgress : zeroed(vcpuNoProgress));
    }

    public Kvm withVcpuTlb(int cpu, int page, Pte entry) {
        return new Kvm(invalidating, mmuLock, s2, s2Block, vcpuTlbs.update(cpu, vcpuTlbs.get(cpu).update(page, entry)),
                vcpuBlocks, apicFrame, apicReload, apicReloading, vcpuNoProgress);
    }

    public Kvm withVcpuBlock(int cpu, Pte entry) {
        return new Kvm(invalidating, mmuLock, s2, s2Block, vcpuTlbs, vcpuBlocks.update(cpu, entry), apicFrame, apicReload, apicReloading, vcpuNoProgress);
    }

    public Kvm withApic(int frame, boolean reload) {
        return new Kvm(invalidating, mmuLock, s2, s2Block, vcpuTlbs, vcpuBlocks, frame, reload, apicReloading, vcpuNoProgress);
    }

    /** The vCPU took the reload request (true) or finished or abandoned the reload (false). */
    public Kvm withApicReloading(boolean running) {
        return new Kvm(invalidating, mmuLock, s2, s2Block, vcpuTlbs, vcpuBlocks, apicFrame, apicReload, running, vcpuNoProgress);
    }

    /** Stage-2 TLB invalidation by IPA: drops page entries for g and block entries (they cover g). */
    public Kvm tlbiIpa(int page, int onlyCpu) {
        Kvm k = this;
        for (int c = 0; c < vcpuTlbs.size(); c++) {
            if (onlyCpu >= 0 && c != onlyCpu) continue;
            if (k.vcpuTlb(c, page).present()) k = k.withVcpuTlb(c, page, Pte.INVALID);
            if (k.vcpuBlocks.get(c).present()) k = k.withVcpuBlock(c, Pte.INVALID);
        }
        return k;
    }
}
