package tlbcheck.model;

/**
 * A device doing DMA through one SMMU (device i sits behind SMMU i), with at most one outstanding
 * access.
 *
 * @param noProgress faults raised for this access while the PTE already permitted it; reset when
 *     the page's PTE is written (invariant 4, model/README.md)
 */
public record Device(DeviceStatus status, int page, boolean write, int noProgress) {

    public static final Device IDLE = new Device(DeviceStatus.IDLE, 0, false, 0);

    /**
     * The no-progress count saturates here, above invariant 4's bound, so that a device faulting
     * forever is a cycle of finitely many states and exhaustive search terminates.
     */
    public static final int NO_PROGRESS_CAP = 7;

    public boolean outstanding() {
        return status != DeviceStatus.IDLE;
    }

    public Device with(DeviceStatus next) {
        return new Device(next, page, write, noProgress);
    }

    @Override
    public String toString() {
        return status == DeviceStatus.IDLE ? "idle"
                : status.name().toLowerCase() + "(" + (write ? "W" : "R") + " p" + page
                        + (noProgress > 0 ? ", no-progress " + noProgress : "") + ")";
    }
}
