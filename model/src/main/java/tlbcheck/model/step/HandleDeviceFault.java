package tlbcheck.model.step;

import io.vavr.control.Option;
import tlbcheck.model.Device;
import tlbcheck.model.DeviceStatus;
import tlbcheck.model.Model;
import tlbcheck.model.Running;
import tlbcheck.model.State;
import tlbcheck.model.Transition;
import tlbcheck.model.kernel.Procedure;
import tlbcheck.model.kernel.Trigger;

/** An idle CPU takes a device's recoverable fault (the IOPF work item) and enters the fault handler. */
public record HandleDeviceFault(int cpu, int device) implements Step {

    @Override
    public Option<String> refusal(Model model, State s) {
        Option<String> bad = Step.checkIndex("CPU", cpu, s.cpus()).orElse(() -> Step.checkIndex("device", device, s.smmus()));
        if (bad.isDefined()) return bad;
        if (s.running(cpu).isDefined()) return Option.some("CPU" + cpu + " is busy in another procedure");
        if (s.device(device).status() != DeviceStatus.FAULTED) return Option.some("DEV" + device + " has no fault pending");
        if (handler(model) < 0) return Option.some("kernel " + model.kernel().name() + " has no device-fault procedure");
        return Option.none();
    }

    /** {@link #refusal} without building its reasons: the explorer asks this of every candidate in every state. */
    @Override
    public boolean enabled(Model model, State s) {
        return cpu >= 0 && cpu < s.cpus() && device >= 0 && device < s.smmus() && s.running(cpu).isEmpty()
                && s.device(device).status() == DeviceStatus.FAULTED && handler(model) >= 0;
    }

    private static int handler(Model model) {
        return model.kernel().indexOf(Trigger.DEVICE_FAULT);
    }

    @Override
    public Transition fire(Model model, State s) {
        Device d = s.device(device);
        Running r = Running.start(handler(model), d.page(), d.write(), device);
        return Transition.of(s, this, s.withDevice(device, d.with(DeviceStatus.HANDLING)).withRunning(cpu, r));
    }

    @Override public String actor() { return "CPU" + cpu; }

    @Override
    public String describe(Model model, State before) {
        Device d = before.device(device);
        Procedure p = model.kernel().procedure(handler(model));
        return p.name() + "(DEV" + device + " " + (d.write() ? "W" : "R") + " p" + d.page() + ")";
    }
}
