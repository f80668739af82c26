package tlbcheck.properties;

import io.vavr.collection.Array;
import io.vavr.control.Option;
import java.util.List;
import tlbcheck.model.Catalogue;
import tlbcheck.model.Variant;
import tlbcheck.model.Variants;
import tlbcheck.model.invariant.BreakBeforeMake;
import tlbcheck.model.invariant.Invariant;

/**
 * FEAT_BBM level 2 as platform data: V12's kernel skips the break for a change of block size whenever the CPU reports
 * level 2, and holds on hardware with the no-abort property (V12). The same kernel on level-2 hardware without it
 * leaves a vCPU holding the block and the page entry of one frame, where the hardware may raise a TLB conflict abort:
 * invariant 5 reports it. That is why Linux skips the break only where the no-abort property is present
 * ({@code system_supports_bbml2_noabort}).
 */
public final class Bbm2ConflictAbort implements Catalogue {

    static final Variant MAY_ABORT = new Variant("V12-on-bbm2-without-noabort", "",
            "V12's kernel on FEAT_BBM level 2 hardware that may raise a TLB conflict abort (no BBML2_NOABORT)",
            Variants.V12.platform().mayRaiseConflictAbort(), Variants.V12.kernel(), Variants.V12.scope(),
            Variants.V12.smallScope());

    @Override public String name() { return "bbm2-conflict-abort"; }

    @Override public Array<Variant> variants() { return Array.of(MAY_ABORT); }

    @Override public Option<String> expected(Variant variant, Invariant invariant) {
        return invariant == BreakBeforeMake.INSTANCE ? Option.some(Expected.VIOLATES) : Option.none();
    }

    @Override public List<String> fixedBy(Variant variant, Invariant invariant) {
        return List.of(Variants.V12.name());
    }
}
