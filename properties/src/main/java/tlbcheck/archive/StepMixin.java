package tlbcheck.archive;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
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

/** How steps appear in a file: {@code {step: Start, cpu: 0, procedure: fault_upgrade, page: 0, write: true}}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "step")
@JsonSubTypes({
        @JsonSubTypes.Type(value = CpuFill.class, name = "CpuFill"),
        @JsonSubTypes.Type(value = CpuEvict.class, name = "CpuEvict"),
        @JsonSubTypes.Type(value = CpuAccess.class, name = "CpuAccess"),
        @JsonSubTypes.Type(value = SmmuFill.class, name = "SmmuFill"),
        @JsonSubTypes.Type(value = SmmuEvict.class, name = "SmmuEvict"),
        @JsonSubTypes.Type(value = DeviceIssue.class, name = "DeviceIssue"),
        @JsonSubTypes.Type(value = DeviceAccess.class, name = "DeviceAccess"),
        @JsonSubTypes.Type(value = Start.class, name = "Start"),
        @JsonSubTypes.Type(value = HandleDeviceFault.class, name = "HandleDeviceFault"),
        @JsonSubTypes.Type(value = Advance.class, name = "Advance"),
        @JsonSubTypes.Type(value = tlbcheck.model.step.VcpuFill.class, name = "VcpuFill"),
        @JsonSubTypes.Type(value = tlbcheck.model.step.VcpuEvict.class, name = "VcpuEvict"),
        @JsonSubTypes.Type(value = tlbcheck.model.step.VcpuAccess.class, name = "VcpuAccess"),
        @JsonSubTypes.Type(value = tlbcheck.model.step.AtcFill.class, name = "AtcFill"),
        @JsonSubTypes.Type(value = tlbcheck.model.step.AtcEvict.class, name = "AtcEvict")})
abstract class StepMixin {
}
