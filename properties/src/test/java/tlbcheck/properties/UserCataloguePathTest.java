package tlbcheck.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tlbcheck.archive.CounterexampleFile;
import tlbcheck.cli.Main;
import tlbcheck.explore.ExploreResult;
import tlbcheck.explore.Explorer;
import tlbcheck.hunt.Hunt;
import tlbcheck.hunt.HuntResult;
import tlbcheck.model.Catalogues;
import tlbcheck.model.Model;
import tlbcheck.model.Variant;
import tlbcheck.model.Variants;
import tlbcheck.model.invariant.Invariant;
import tlbcheck.model.kernel.MmPaths;
import tlbcheck.model.kernel.Procedure;
import tlbcheck.model.kernel.Trigger;
import tlbcheck.model.kernel.WriteProtectPte;

/**
 * The README's path for a variant and a rule that are not in the built-in catalogue, end to end: found
 * by name, hunted, explored, rerun from the printed line, archived, replayed and explained from the
 * command line.
 */
class UserCataloguePathTest {

    private static final String VARIANT = "V5-local-flush-wrprotect";
    private static final String RULE = "no-stale-access-after-restriction";

    @Test
    void aUserVariantAndRuleAreFoundByName() {
        Variant v = Catalogues.get().variant(VARIANT);
        assertEquals(ExtensionExamplesTest.LOCAL_FLUSH_WRPROTECT, v);
        Invariant leak = Catalogues.get().invariant("no-frame-leak");
        assertEquals(0, leak.number());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Catalogues.get().variant("V5-typo"));
        assertTrue(e.getMessage().contains("unknown variant 'V5-typo'") && e.getMessage().contains(VARIANT), e.getMessage());
        assertTrue(e.getMessage().startsWith("unknown variant 'V5-typo'; known: "), "nothing is near V5-typo: " + e.getMessage());
        // A typo gets the name it was probably meant to be, before the list of every name.
        e = assertThrows(IllegalArgumentException.class, () -> Catalogues.get().variant("v5-local-flush-wrprotct"));
        assertTrue(e.getMessage().startsWith("unknown variant 'v5-local-flush-wrprotct' (did you mean '" + VARIANT + "'?); known: "),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Catalogues.get().invariant("no-frame-leek"));
        assertTrue(e.getMessage().startsWith("unknown invariant 'no-frame-leek' (did you mean 'no-frame-leak'?); known: "),
                e.getMessage());
    }

    @Test
    void huntExploreAndRerunFromThePrintedLine() {
        Variant v = Catalogues.get().variant(VARIANT);
        Invariant inv = Catalogues.get().invariant(RULE);
        HuntResult r = Hunt.run(new Model(v), inv, HuntSettings.config(v.name() + "/" + inv.name()));
        assertTrue(r.violated());
        String report = tlbcheck.report.FailureReport.of(r);
        Matcher m = Pattern.compile("rerun: mvn verify -Dtlbcheck.seed=(-?\\d+) -Dtlbcheck.variant=(\\S+)"
                + " -Dtlbcheck.invariant=(\\S+)").matcher(report);
        assertTrue(m.find(), report);
        // The printed line selects exactly this pair, by name, and its seed reruns the same counterexample.
        assertEquals(VARIANT, m.group(2));
        assertEquals(RULE, m.group(3));
        assertEquals(v, Catalogues.get().variant(m.group(2)));
        assertEquals(inv, Catalogues.get().invariant(m.group(3)));
        HuntResult again;
        System.setProperty("tlbcheck.seed", m.group(1));
        try {
            again = Hunt.run(new Model(v), inv, HuntSettings.config(v.name() + "/" + inv.name()));
        } finally {
            System.clearProperty("tlbcheck.seed");
        }
        assertEquals(1, again.firstViolationTry());
        assertEquals(r.shrunk().get().steps(), again.shrunk().get().steps());

        ExploreResult all = Explorer.explore(new Model(v, v.smallScope()), inv, Explorer.Config.defaults());
        assertTrue(all.violation().isDefined(), all.toString());
    }

    @Test
    void theArchivedFileReplaysAndExplainsFromTheCommandLine() {
        Path file = HuntPropertiesTest.archiveDir().resolve(VARIANT + "--2-" + RULE + ".yaml");
        CounterexampleFile.Loaded l = CounterexampleFile.read(file);
        assertEquals(VARIANT, l.model().variant().name());
        assertEquals(java.util.List.of("V5"), l.counterexample().fixedBy());
        assertEquals(0, Main.run("replay", file.toString()));
        assertEquals(0, Main.run("explain", file.toString()));
        assertEquals(0, Main.run("render", "--format", "lanes", file.toString()));
    }

    @Test
    void aReplacementThatReplacesNothingIsRefused() {
        Procedure typo = Procedure.of("write_protec", Trigger.ANY, WriteProtectPte.INSTANCE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MmPaths.LINUX_6_6.kernel().with(typo));
        assertTrue(e.getMessage().contains("has no procedure 'write_protec' to replace")
                && e.getMessage().contains("write_protect") && e.getMessage().contains("plus(procedure)"), e.getMessage());
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> MmPaths.LINUX_6_6.kernel().plus(Procedure.of("write_protect", Trigger.ANY, WriteProtectPte.INSTANCE)));
        assertTrue(twice.getMessage().contains("already has a procedure 'write_protect'"), twice.getMessage());
        assertTrue(Variants.V5.kernel().plus(Procedure.of("ksm_wrprotect", Trigger.ANY, WriteProtectPte.INSTANCE))
                .indexOf("ksm_wrprotect") >= 0);
    }
}
