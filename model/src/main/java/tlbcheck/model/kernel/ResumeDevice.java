package tlbcheck.model.kernel;

import tlbcheck.model.DeviceStatus;
import tlbcheck.model.Model;
import tlbcheck.model.Running;
import tlbcheck.model.State;

/** The IOPF handler's page response (PRI response / stall resume): the device may retry its access. */
public record ResumeDevice() implements Op {

    public static final ResumeDevice INSTANCE = new ResumeDevice();

    @Override
    public String name() {
        return "resume device";
    }

    @Override
    public State apply(Model model, State state, int cpu, Running running) {
        State s = state;
        if (running.device() >= 0) {
            s = s.withDevice(running.device(), s.device(running.device()).with(DeviceStatus.READY));
        }
        return s.withRunning(cpu, running.next());
    }
}
