package tlbcheck.hunt;

import io.vavr.collection.Array;
import java.util.function.IntUnaryOperator;
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
import tlbcheck.model.step.VcpuEvict;
import tlbcheck.model.step.VcpuFill;

/** Renaming actors in a step and proposing simpler steps, for the shrinker. */
final class StepRewrites {

    private StepRewrites() {}

    /** The step with its CPU, page and SMMU/device indices mapped. */
    static Step rename(Step s, IntUnaryOperator cpu, IntUnaryOperator page, IntUnaryOperator dev) {
        if (s instanceof CpuFill x) return new CpuFill(cpu.applyAsInt(x.cpu()), page.applyAsInt(x.page()));
        if (s instanceof CpuEvict x) return new CpuEvict(cpu.applyAsInt(x.cpu()), page.applyAsInt(x.page()));
        if (s instanceof CpuAccess x) return new CpuAccess(cpu.applyAsInt(x.cpu()), page.applyAsInt(x.page()), x.write());
        if (s instanceof SmmuFill x) return new SmmuFill(dev.applyAsInt(x.smmu()), page.applyAsInt(x.page()));
        if (s instanceof SmmuEvict x) return new SmmuEvict(dev.applyAsInt(x.smmu()), page.applyAsInt(x.page()));
        if (s instanceof tlbcheck.model.step.AtcFill x) {
            return new tlbcheck.model.step.AtcFill(dev.applyAsInt(x.device()), page.applyAsInt(x.page()));
        }
        if (s instanceof tlbcheck.model.step.AtcEvict x) {
            return new tlbcheck.model.step.AtcEvict(dev.applyAsInt(x.device()), page.applyAsInt(x.page()));
        }
        if (s instanceof DeviceIssue x) return new DeviceIssue(dev.applyAsInt(x.device()), page.applyAsInt(x.page()), x.write());
        if (s instanceof DeviceAccess x) return new DeviceAccess(dev.applyAsInt(x.device()));
        if (s instanceof Start x) return new Start(cpu.applyAsInt(x.cpu()), x.procedure(), page.applyAsInt(x.page()), x.pages(), x.write());
        if (s instanceof HandleDeviceFault x) return new HandleDeviceFault(cpu.applyAsInt(x.cpu()), dev.applyAsInt(x.device()));
        if (s instanceof Advance x) return new Advance(cpu.applyAsInt(x.cpu()));
        if (s instanceof VcpuFill x) return new VcpuFill(cpu.applyAsInt(x.cpu()), x.page() < 0 ? -1 : page.applyAsInt(x.page()));
        if (s instanceof tlbcheck.model.step.VcpuAccess x) {
            return new tlbcheck.model.step.VcpuAccess(cpu.applyAsInt(x.cpu()), page.applyAsInt(x.page()), x.write());
        }
        if (s instanceof VcpuEvict x) return new VcpuEvict(cpu.applyAsInt(x.cpu()), x.page() < 0 ? -1 : page.applyAsInt(x.page()));
        throw new IllegalArgumentException("no rewrite for " + s);
    }

    static IntUnaryOperator swap(int a, int b) {
        return i -> i == a ? b : i == b ? a : i;
    }

    /** Steps a reader finds simpler than this one: a read for a write. Index lowering is done by renames. */
    static Array<Step> simpler(Step s) {
        if (s instanceof CpuAccess x && x.write()) return Array.of(new CpuAccess(x.cpu(), x.page(), false));
        if (s instanceof DeviceIssue x && x.write()) return Array.of(new DeviceIssue(x.device(), x.page(), false));
        return Array.empty();
    }

    /** A size for ordering candidates of equal length: smaller indices and reads rank lower. */
    static int complexity(Step s) {
        int[] sum = {0};
        rename(s, i -> { sum[0] += i; return i; }, i -> { sum[0] += i; return i; }, i -> { sum[0] += i; return i; });
        if (s instanceof CpuAccess x && x.write()) sum[0]++;
        if (s instanceof DeviceIssue x && x.write()) sum[0]++;
        return sum[0];
    }
}
