package tlbcheck.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tlbcheck.model.step.Advance;
import tlbcheck.model.step.CpuAccess;
import tlbcheck.model.step.CpuEvict;
import tlbcheck.model.step.CpuFill;
import tlbcheck.model.step.DeviceAccess;
import tlbcheck.model.step.DeviceIssue;
import tlbcheck.model.step.HandleDeviceFault;
import tlbcheck.model.step.SmmuEvict;
import tlbcheck.model.step.SmmuFill;
import tlbcheck.model.step.Start;
import tlbcheck.model.step.Step;
import tlbcheck.model.step.VcpuAccess;
import tlbcheck.model.step.VcpuEvict;
import tlbcheck.model.step.VcpuFill;

/**
 * What a trace says of each step: its lane (actor), its kind and its text, as a reviewer reads them in a counterexample.
 * A text that says "walk" for a TLB hit, or "done" for a fault, would send the reader after the wrong race.
 */
class StepTextTest {

    /** Fires the steps in order and records "actor kind: text" of each, described in the state it runs in. */
    private static List<String> lanes(Variant v, Step... steps) {
        Model m = new Model(v);
        State s = m.initial();
        List<String> out = new ArrayList<>();
        for (Step step : steps) {
            out.add(step.actor() + " " + step.kind() + ": " + step.describe(m, s));
            s = m.fire(s, step).after();
        }
        return out;
    }

    @Test
    @DisplayName("CPU, SMMU and device steps")
    void hardwareSteps() {
        assertEquals(List.of(
                "CPU1 CpuAccess: load p0 -> f0 (walk)",
                "CPU1 CpuAccess: load p0 -> f0",
                "CPU0 CpuFill: TLB fill p1 f1/RO",
                "CPU0 CpuEvict: TLB evict p1",
                "SMMU0 SmmuFill: TLB fill p1 f1/RO",
                "SMMU0 SmmuEvict: TLB evict p1",
                "DEV0 DeviceIssue: DMA read p0",
                "DEV0 DeviceAccess: read p0 walk f0/RO: done",
                "DEV0 DeviceIssue: DMA write p0",
                "DEV0 DeviceAccess: write p0 hit f0/RO: FAULT",
                "CPU1 HandleDeviceFault: iopf(DEV0 W p0)",
                "CPU1 Advance: iopf: mmap_read_lock; skipped alloc frame (PTE is f0/RO: not pte_none)",
                "CPU0 Start: fault_upgrade(p1, write)",
                "CPU0 Advance: fault_upgrade: mmap_read_lock"),
                lanes(Variants.V1, new CpuAccess(1, 0, false), new CpuAccess(1, 0, false), new CpuFill(0, 1), new CpuEvict(0, 1),
                        new SmmuFill(0, 1), new SmmuEvict(0, 1), new DeviceIssue(0, 0, false), new DeviceAccess(0),
                        new DeviceIssue(0, 0, true), new DeviceAccess(0), new HandleDeviceFault(1, 0), new Advance(1),
                        new Start(0, "fault_upgrade", 1, true), new Advance(0)));
        assertEquals(List.of("CPU0 Start: unmap(p0..p1)", "CPU1 Start: migrate(p1)"),
                lanes(Variants.V5.withScope(Scope.of(2, 1, 2, 3).withRange(2)), new Start(0, "unmap", 0, 2, false),
                        new Start(1, "migrate", 1, false)));
    }

    @Test
    @DisplayName("a store through a cached writable entry, and a store that walks")
    void stores() {
        Model m = new Model(Variants.V1);
        State s = new Scenario(Variants.V1).then(new Start(0, "fault_upgrade", 0, true)).finish(0).state();
        assertEquals("store p0 -> f0 (walk)", new CpuAccess(1, 0, true).describe(m, s));
        s = m.fire(s, new CpuAccess(1, 0, true)).after();
        assertEquals("store p0 -> f0", new CpuAccess(1, 0, true).describe(m, s));
        assertEquals("CPU1", new CpuAccess(1, 0, true).actor());
    }

    @Test
    @DisplayName("vCPU steps: page entries, the block entry, and a guest access that faults")
    void vcpuSteps() {
        assertEquals(List.of(
                "CPU1 VcpuFill: vTLB fill block f0/RW",
                "CPU1 VcpuAccess: guest store g1 via f1/RW",
                "CPU1 VcpuEvict: vTLB evict block",
                "CPU0 Start: s2_split(p0)"),
                lanes(Variants.V10, new VcpuFill(1, -1), new VcpuAccess(1, 1, true), new VcpuEvict(1, -1),
                        new Start(0, "s2_split", 0, false)));
        Scenario split = new Scenario(Variants.V10).then(new Start(0, "s2_split", 0, false)).finish(0)
                .then(new Start(0, "s2_wrprotect", 1, false)).finish(0);
        Model m = split.model();
        State s = split.state();
        assertEquals("vTLB fill g1 f1/RO", new VcpuFill(1, 1).describe(m, s));
        assertEquals("vTLB fill g0 f0/RW", new VcpuFill(1, 0).describe(m, s));
        s = m.fire(s, new VcpuFill(1, 1)).after();
        assertEquals("guest store g1 via f1/RO: FAULT", new VcpuAccess(1, 1, true).describe(m, s));
        assertEquals("guest load g1 via f1/RO", new VcpuAccess(1, 1, false).describe(m, s));
        assertEquals("vTLB evict g1", new VcpuEvict(1, 1).describe(m, s));
        assertEquals("vTLB evict g0", new VcpuEvict(1, 0).describe(m, s));
        assertEquals("VcpuFill", new VcpuFill(1, 1).kind());
        assertEquals("CPU1", new VcpuEvict(1, 1).actor());
    }
}
