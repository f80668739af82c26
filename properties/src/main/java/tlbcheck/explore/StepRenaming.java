package tlbcheck.explore;

import java.util.HashMap;
import java.util.Map;
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
 * The model's candidate steps under a renaming of CPUs and pages: a sleep set found for a successor names its steps
 * as that state has them, and the explorer stores the state in its canonical form, where CPU {@code c} and page
 * {@code p} may have other numbers. One thread's; the tables are made on first use of a renaming.
 */
final class StepRenaming {

    private final Step[] steps;
    private final Map<Step, Integer> index = new HashMap<>();
    private final int cpus;
    private final int pages;
    /** The table of each renaming, by its digits (each CPU's new number, then each page's), made on first use. */
    private final int[][] tables;
    private final int[] cpuTo;
    private final int[] pageTo;

    StepRenaming(Step[] steps, int cpus, int pages) {
        this.steps = steps;
        this.cpus = cpus;
        this.pages = pages;
        this.cpuTo = new int[cpus];
        this.pageTo = new int[pages];
        for (int k = 0; k < steps.length; k++) index.put(steps[k], k);
        double renamings = Math.pow(cpus, cpus) * Math.pow(pages, pages);
        this.tables = renamings <= 1 << 20 ? new int[(int) renamings][] : null;
    }

    /**
     * Writes into {@code out} from {@code at} the steps of a set (bits over the candidates, in as many longs as it
     * takes) under the encoder's last renaming; a step with no image is dropped.
     */
    void rename(long[] set, StateCodec.Encoder encoder, long[] out, int at) {
        long renaming = encoder.renamingKey();
        if (renaming < 0) {
            System.arraycopy(set, 0, out, at, set.length);
            return;
        }
        java.util.Arrays.fill(out, at, at + set.length, 0L);
        if (tables == null) return;  // too many renamings to tabulate: an empty sleep set is always sound
        int key = (int) renaming;
        int[] table = null;
        for (int w = 0; w < set.length; w++) {
            for (long m = set[w]; m != 0; m &= m - 1) {
                if (table == null) {
                    table = tables[key];
                    if (table == null) {
                        for (int c = 0; c < cpus; c++) cpuTo[c] = encoder.canonicalCpu(c);
                        for (int p = 0; p < pages; p++) pageTo[p] = encoder.canonicalPage(p);
                        table = tables[key] = table();
                    }
                }
                int to = table[64 * w + Long.numberOfTrailingZeros(m)];
                if (to >= 0) out[at + (to >>> 6)] |= 1L << to;
            }
        }
    }

    private int[] table() {
        int[] t = new int[steps.length];
        for (int k = 0; k < steps.length; k++) {
            Step renamed = renamed(steps[k]);
            t[k] = renamed == null ? -1 : index.getOrDefault(renamed, -1);
        }
        return t;
    }

    /** A vCPU step's guest page; -1, stage 2's block entry, keeps its name. */
    private int guestPage(int page) {
        return page < 0 ? page : pageTo[page];
    }

    /** The step under {@link #cpuTo} and {@link #pageTo}, or null for one this class cannot rename. */
    private Step renamed(Step s) {
        if (s instanceof CpuFill f) return new CpuFill(cpuTo[f.cpu()], pageTo[f.page()]);
        if (s instanceof CpuEvict e) return new CpuEvict(cpuTo[e.cpu()], pageTo[e.page()]);
        if (s instanceof CpuAccess a) return new CpuAccess(cpuTo[a.cpu()], pageTo[a.page()], a.write());
        if (s instanceof SmmuFill f) return new SmmuFill(f.smmu(), pageTo[f.page()]);
        if (s instanceof SmmuEvict e) return new SmmuEvict(e.smmu(), pageTo[e.page()]);
        if (s instanceof tlbcheck.model.step.AtcFill f) return new tlbcheck.model.step.AtcFill(f.device(), pageTo[f.page()]);
        if (s instanceof tlbcheck.model.step.AtcEvict e) return new tlbcheck.model.step.AtcEvict(e.device(), pageTo[e.page()]);
        if (s instanceof DeviceIssue d) return new DeviceIssue(d.device(), pageTo[d.page()], d.write());
        if (s instanceof DeviceAccess d) return d;
        if (s instanceof Advance a) return new Advance(cpuTo[a.cpu()]);
        if (s instanceof HandleDeviceFault h) return new HandleDeviceFault(cpuTo[h.cpu()], h.device());
        if (s instanceof VcpuFill f) return new VcpuFill(cpuTo[f.cpu()], guestPage(f.page()));
        if (s instanceof VcpuEvict e) return new VcpuEvict(cpuTo[e.cpu()], guestPage(e.page()));
        if (s instanceof VcpuAccess a) return new VcpuAccess(cpuTo[a.cpu()], guestPage(a.page()), a.write());
        if (s instanceof Start st) {
            // A range is renamed only where pages keep their numbers.
            if (st.pages() > 1 && pageTo[st.page()] != st.page()) return null;
            return new Start(cpuTo[st.cpu()], st.procedure(), pageTo[st.page()], st.pages(), st.write());
        }
        return null;
    }
}
