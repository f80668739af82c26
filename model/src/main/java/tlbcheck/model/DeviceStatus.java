package tlbcheck.model;

/** Where a device's outstanding DMA access is in its life. */
public enum DeviceStatus {
    /** No outstanding access. */
    IDLE,
    /** The access is outstanding and the device may (re)try it through its SMMU. */
    READY,
    /** The SMMU raised a recoverable fault (PRI / stall); the device waits for the kernel. */
    FAULTED,
    /** A CPU is running the device-fault handler for this access. */
    HANDLING
}
