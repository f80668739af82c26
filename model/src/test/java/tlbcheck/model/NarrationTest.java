package tlbcheck.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tlbcheck.model.step.Advance;
import tlbcheck.model.step.DeviceAccess;
import tlbcheck.model.step.DeviceIssue;
import tlbcheck.model.step.HandleDeviceFault;
import tlbcheck.model.step.SmmuFill;
import tlbcheck.model.step.Start;
import tlbcheck.model.step.VcpuAccess;
import tlbcheck.model.step.VcpuFill;

/**
 * Whole procedures as a counterexample prints them, op by op: the kernel's names, what each invalidation dropped, and
 * why an op was skipped. A reviewer reads these lines against the kernel source, so a wrong name or a wrong reason
 * sends them after the wrong race.
 */
class NarrationTest {

    private static List<String> narrate(Scenario s, int cpu) {
        List<String> out = new ArrayList<>();
        while (s.state().running(cpu).isDefined()) {
            out.add(new Advance(cpu).describe(s.model(), s.state()));
            s.then(new Advance(cpu));
        }
        return out;
    }

    @Test
    @DisplayName("the device-fault handler, with and without the SMMU driver's own invalidation")
    void iopf() {
        List<String> handler = List.of(
                "iopf: mmap_read_lock; skipped alloc frame (PTE is f0/RO: not pte_none)",
                "iopf: pte_offset_map_lock; skipped set PTE to new frame (PTE is f0/RO: not pte_none)",
                "iopf: set PTE RO->RW",
                "iopf: flush_tlb_page (TLBI IS) -> nothing cached",
                "iopf: pte_unmap_unlock",
                "iopf: mmap_read_unlock");
        List<String> v1 = new ArrayList<>(handler);
        v1.add("iopf: resume device");
        assertEquals(v1, narrate(new Scenario(Variants.V1).then(new DeviceIssue(0, 0, true), new DeviceAccess(0),
                new HandleDeviceFault(0, 0)), 0));
        List<String> v4 = new ArrayList<>(handler);
        v4.add("iopf: SMMU CMD_TLBI_NH_VA+CMD_SYNC -> SMMU0");
        v4.add("iopf: resume device");
        assertEquals(v4, narrate(new Scenario(Variants.V4).then(new SmmuFill(0, 0), new DeviceIssue(0, 0, true),
                new DeviceAccess(0), new HandleDeviceFault(0, 0)), 0));
    }

    @Test
    @DisplayName("KVM's fault-in, and an APIC reload that the retry check sends back during an unmap")
    void kvm() {
        assertEquals(List.of("kvm_fault_in: hva_to_pfn", "kvm_fault_in: lock mmu_lock",
                        "kvm_fault_in: skipped mmu_invalidate_retry (no invalidation in progress or ended since the translation: install)",
                        "kvm_fault_in: install stage-2 entry", "kvm_fault_in: unlock mmu_lock"),
                narrate(new Scenario(Variants.V7).then(new Start(1, "kvm_fault_in", 0, false)), 1));
        Scenario s = new Scenario(Variants.V9).then(new Start(0, "unmap", 0, false));
        while (!s.state().running(0).get().inRange()) s.then(new Advance(0));
        assertEquals(List.of("apic_reload: hva_to_pfn", "apic_reload: lock mmu_lock",
                        "apic_reload: mmu_invalidate_retry; skipped write APIC_ACCESS_ADDR (an invalidation is in progress or"
                                + " ended since the translation: retry)",
                        "apic_reload: unlock mmu_lock"),
                narrate(s.then(new Start(1, "apic_reload", 0, false)), 1));
        assertEquals(List.of("unmap: pte_offset_map_lock", "unmap: clear PTE", "unmap: pte_unmap_unlock",
                "unmap: mmu_notifier_invalidate_range_end", "unmap: kvm: invalidate_range_end (seq++, in-progress--)",
                "unmap: tlb_flush_mmu (IPI + INVLPG) -> nothing cached",
                "unmap: __flush_tlb_range->arch_invalidate_secondary_tlbs -> nothing cached", "unmap: free old frame",
                "unmap: tlb_finish_mmu -> dec_tlb_flush_pending", "unmap: mmap_write_unlock"), narrate(s, 0));
    }

    @Test
    @DisplayName("arm64: the permission-fault handler, and a walker whose entry another handler changed first")
    void stage2() {
        assertEquals(List.of("s2_fault: relax stage-2 permissions (CAS)", "s2_fault: __kvm_tlb_flush_vmid_ipa_nsh (TLBI IPAS2E1) -> vCPU1"),
                narrate(new Scenario(Variants.V10).then(new Start(0, "s2_split", 0, false)).finish(0)
                        .then(new Start(0, "s2_wrprotect", 1, false)).finish(0)
                        .then(new VcpuFill(1, 1), new VcpuAccess(1, 1, true)), 1));
        Scenario lost = new Scenario(Variants.V12).then(new Start(0, "s2_split", 0, false)).finish(0)
                .then(new Start(0, "s2_wrprotect", 1, false), new Advance(0), new Start(1, "s2_wrprotect", 1, false)).finish(0);
        // The walker skips its own change for its reason; the other branch of FEAT_BBM2's test is skipped for its own.
        assertEquals(List.of("s2_wrprotect: read stage-2 entry; skipped CAS stage-2 entry old -> new (no break),"
                + " __kvm_tlb_flush_vmid_ipa (TLBI IPAS2E1IS) (another vCPU's handler changed the entry first);"
                + " skipped read stage-2 entry, CAS stage-2 entry old -> new (no break),"
                + " __kvm_tlb_flush_vmid_ipa (TLBI IPAS2E1IS) (the other branch ran)"), narrate(lost, 1));
    }

    @Test
    @DisplayName("migration, and an mprotect that finds nothing to write-protect")
    void mm() {
        assertEquals(List.of("migrate: mmu_notifier_invalidate_range_start", "migrate: pte_offset_map_lock",
                "migrate: set migration entry", "migrate: ptep_clear_flush (TLBI IS) -> nothing cached",
                "migrate: pte_unmap_unlock", "migrate: range_end->invalidate_range -> nothing cached",
                "migrate: mmu_notifier_invalidate_range_end", "migrate: alloc new frame, copy", "migrate: pte_offset_map_lock",
                "migrate: set PTE to new frame RO", "migrate: pte_unmap_unlock", "migrate: free old frame"),
                narrate(new Scenario(Variants.V1).then(new Start(0, "migrate", 0, false)), 0));
        assertEquals(List.of("write_protect: mmap_write_lock", "write_protect: tlb_gather_mmu -> inc_tlb_flush_pending",
                "write_protect: mmu_notifier_invalidate_range_start", "write_protect: pte_offset_map_lock",
                "write_protect: skipped set PTE RW->RO (PTE is f0/RO, not writable)", "write_protect: pte_unmap_unlock",
                "write_protect: mmu_notifier_invalidate_range_end",
                "write_protect: skipped __flush_tlb_range (TLBI IS) (this procedure changed no PTE, so it owes no flush)",
                "write_protect: skipped __flush_tlb_range->arch_invalidate_secondary_tlbs (this procedure changed no PTE,"
                        + " so no CPU flush to mirror)",
                "write_protect: tlb_finish_mmu -> dec_tlb_flush_pending", "write_protect: mmap_write_unlock"),
                narrate(new Scenario(Variants.V5).then(new Start(0, "write_protect", 0, false)), 0));
    }
}
