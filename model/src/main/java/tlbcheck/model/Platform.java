package tlbcheck.model;

/**
 * The hardware features a variant runs on.
 *
 * @param btm whether the SMMUs snoop broadcast CPU TLB invalidations (broadcast TLB maintenance)
 */
public record Platform(boolean btm) {

    public static final Platform SMMU_WITHOUT_BTM = new Platform(false);
    public static final Platform SMMU_WITH_BTM = new Platform(true);

    @Override
    public String toString() {
        return btm ? "arm64+SMMUv3(BTM)" : "arm64+SMMUv3(no BTM)";
    }
}
