package tlbcheck.properties;

import io.vavr.collection.Array;
import io.vavr.control.Option;
import java.util.List;
import tlbcheck.model.Catalogue;
import tlbcheck.model.Variant;
import tlbcheck.model.invariant.Invariant;

/**
 * A user's own catalogue, as the README's extension section writes it: the local-flush patch under review
 * and the frame-leak rule of {@link ExtensionExamplesTest}, their expected verdicts beside them. Registered
 * in {@code src/test/resources/META-INF/services/tlbcheck.model.Catalogue}, so {@code mvn verify} hunts and
 * explores them, the rerun line, the command line and the archive all know them by name.
 */
public final class ExampleUserCatalogue implements Catalogue {

    static final Invariant NO_FRAME_LEAK = new ExtensionExamplesTest.NoFrameLeak();

    @Override public String name() { return "example"; }

    @Override public Array<Variant> variants() {
        return Array.of(ExtensionExamplesTest.LOCAL_FLUSH_WRPROTECT);
    }

    @Override public Array<Invariant> invariants() {
        return Array.of(NO_FRAME_LEAK);
    }

    @Override public Option<String> expected(Variant variant, Invariant invariant) {
        switch (invariant.name()) {
            case "no-stale-access-after-restriction": return Option.some(Expected.VIOLATES);
            case "no-frame-leak": case "no-use-after-free": return Option.some(Expected.HOLDS);
            default: return Option.none();
        }
    }

    @Override public List<String> fixedBy(Variant variant, Invariant invariant) {
        return List.of("V5");
    }
}
