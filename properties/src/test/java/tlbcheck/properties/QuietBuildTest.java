package tlbcheck.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tlbcheck.archive.Archive;
import tlbcheck.hunt.Hunt;
import tlbcheck.hunt.HuntResult;
import tlbcheck.model.Catalogues;
import tlbcheck.model.Model;
import tlbcheck.model.Variant;
import tlbcheck.model.Variants;
import tlbcheck.model.invariant.Invariant;
import tlbcheck.model.invariant.Invariants;

/**
 * A default build announces a counterexample as new only when the archive has no file for its
 * (variant, invariant): a row whose violation is archived says nothing, or one line when the hunt's
 * trace is shorter than the archived one.
 */
class QuietBuildTest {

    static final Variant V1 = Variants.byName("V1");
    static final Invariant STALE = Invariants.all().find(i -> i.number() == 1).get();
    static final String FILE = "V1-linux-6.4-noBTM--1-no-stale-secondary-tlb.yaml";

    static HuntResult hunt() {
        HuntResult r = Hunt.run(new Model(V1, V1.scope()), STALE, HuntSettings.config(V1.name() + "/" + STALE.name()));
        assertTrue(r.violated(), "V1 must violate invariant 1 for this test to mean anything");
        return r;
    }

    @Test
    void everyViolatingRowOfTheCatalogueHasAnArchivedFile() {
        Archive archive = new Archive(HuntPropertiesTest.archiveDir());
        List<String> missing = new ArrayList<>();
        for (Variant v : Catalogues.get().variants()) {
            for (Invariant i : Catalogues.get().invariants()) {
                if (Expected.verdict(v, i).contains(Expected.VIOLATES) && archive.of(v.name(), i.name()).isEmpty()) {
                    missing.add(v.name() + " / " + i.name());
                }
            }
        }
        assertEquals(List.of(), missing, "a default build would announce these as new counterexamples");
    }

    @Test
    void anArchivedRowIsNotNews(@TempDir Path dir) {
        List<String> said = new ArrayList<>();
        Archive archive = new Archive(HuntPropertiesTest.archiveDir());
        String path = HuntPropertiesTest.archive(hunt(), V1, STALE, archive, new Archive(dir), false, said::add);
        assertTrue(path.startsWith("counterexamples/"), path);
        assertTrue(said.stream().noneMatch(l -> l.contains("new counterexample")), said.toString());
        assertTrue(said.size() <= 1 && said.stream().allMatch(l -> l.contains("again, shorter")), said.toString());
    }

    @Test
    void aRowWhoseFileIsRemovedIsNewAgain(@TempDir Path dir) throws Exception {
        Path archiveDir = Files.createDirectories(dir.resolve("counterexamples"));
        try (Stream<Path> files = Files.list(HuntPropertiesTest.archiveDir())) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                if (!f.getFileName().toString().equals(FILE)) Files.copy(f, archiveDir.resolve(f.getFileName()));
            }
        }
        Path found = dir.resolve("found");
        List<String> said = new ArrayList<>();
        String path = HuntPropertiesTest.archive(hunt(), V1, STALE, new Archive(archiveDir), new Archive(found), false,
                said::add);
        assertEquals(1, said.size(), said.toString());
        assertTrue(said.get(0).startsWith("new counterexample (not archived; -Pdeep-hunt archives): "), said.get(0));
        assertTrue(path.startsWith("properties/target/tlbcheck/counterexamples/"), path);
        try (Stream<Path> files = Files.list(found)) {
            assertEquals(1, files.count());
        }
        assertFalse(Files.exists(archiveDir.resolve(FILE)), "a default build writes nothing into the archive");

        // The deep hunt archives it instead.
        said.clear();
        String archived = HuntPropertiesTest.archive(hunt(), V1, STALE, new Archive(archiveDir), new Archive(found), true,
                said::add);
        assertTrue(said.get(0).startsWith("archived new counterexample: "), said.toString());
        assertTrue(archived.startsWith("counterexamples/"), archived);
    }

    @Test
    void aShorterTraceInALargerScopeSaysBothScopes(@TempDir Path dir) {
        // The archive has this row's trace in its small scope (1 CPU); the hunt's scope has 2 CPUs and a shorter one.
        Variant variant = Arm64KvmOnHostMm.NOT_SUBSCRIBED;
        Invariant invariant = Invariants.all().find(i -> i.number() == 6).get();
        Archive archive = new Archive(HuntPropertiesTest.archiveDir());
        var archived = archive.shortestOf(variant.name(), invariant.name()).get();
        HuntResult r = Hunt.run(new Model(variant, variant.scope()), invariant,
                HuntSettings.config(variant.name() + "/" + invariant.name()));
        int steps = r.shrunk().get().steps().size();
        assertTrue(steps < archived.steps().size() && !variant.scope().toString().equals(archived.scope()),
                "the hunt's trace (" + steps + " steps) must be shorter than the archived one, in another scope, for this test to mean anything");
        List<String> said = new ArrayList<>();
        HuntPropertiesTest.archive(r, variant, invariant, archive, new Archive(dir), false, said::add);
        assertEquals(List.of("found " + HuntPropertiesTest.archived(archive, variant, invariant) + " again, shorter: " + steps + " steps in " + variant.scope() + " against " + archived.steps().size() + " in "
                + archived.scope() + " (-Pdeep-hunt archives it)"), said);
    }
}
