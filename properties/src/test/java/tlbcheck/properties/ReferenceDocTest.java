package tlbcheck.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tlbcheck.model.Variant;
import tlbcheck.model.Variants;
import tlbcheck.model.invariant.Invariant;
import tlbcheck.model.invariant.Invariants;

/**
 * The project explains itself: the reference's invariant and variant tables are written from the
 * catalogue's own names and meanings (so they cannot drift), and no document points a reader outside
 * the repository.
 */
class ReferenceDocTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path REFERENCE = ROOT.resolve("model/README.md");

    static String invariantTable() {
        StringBuilder t = new StringBuilder("| # | name | meaning |\n|---|---|---|\n");
        for (Invariant i : Invariants.all()) {
            t.append("| ").append(i.number()).append(" | `").append(i.name()).append("` | ").append(i.meaning()).append(" |\n");
        }
        return t.toString();
    }

    static String variantTable() {
        StringBuilder t = new StringBuilder("| row | name | platform | what it is |\n|---|---|---|---|\n");
        for (Variant v : Variants.all()) {
            t.append("| ").append(v.row()).append(" | `").append(v.name()).append("` | ").append(v.platform())
                    .append(" | ").append(v.summary()).append(" |\n");
        }
        return t.toString();
    }

    /** The text with the block between the markers of {@code what} replaced by {@code table}. */
    static String withBlock(String text, String what, String table) {
        String open = "<!-- generated:" + what + " -->\n";
        String close = "<!-- end:" + what + " -->";
        int from = text.indexOf(open);
        int to = text.indexOf(close);
        assertTrue(from >= 0 && to > from, REFERENCE + " lost its markers " + open.strip() + " ... " + close);
        return text.substring(0, from + open.length()) + table + text.substring(to);
    }

    @Test
    void theReferenceTablesAreTheCatalogues() throws IOException {
        String text = Files.readString(REFERENCE, StandardCharsets.UTF_8);
        String generated = withBlock(withBlock(text, "invariants", invariantTable()), "variants", variantTable());
        if (Boolean.getBoolean("tlbcheck.writeDocs")) {
            Files.writeString(REFERENCE, generated, StandardCharsets.UTF_8);
            return;
        }
        assertEquals(generated, text, REFERENCE + " is out of date with the catalogue: rerun with"
                + " -Dtest=ReferenceDocTest -Dtlbcheck.writeDocs=true and commit the result");
    }

    @Test
    void noDocumentPointsOutsideTheRepository() throws IOException {
        List<String> offenders;
        try (Stream<Path> files = Files.walk(ROOT)) {
            offenders = files.filter(Files::isRegularFile)
                    .filter(p -> !p.toString().contains("/target/") && !p.toString().contains("/.git/"))
                    .filter(p -> p.toString().endsWith(".md") || p.toString().endsWith(".java") || p.toString().endsWith(".yaml"))
                    .filter(p -> {
                        try {
                            String s = Files.readString(p, StandardCharsets.UTF_8);
                            return s.contains("../" + "shared") || s.contains("DOMAIN" + ".md");
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .map(p -> ROOT.relativize(p).toString())
                    .collect(Collectors.toList());
        }
        assertTrue(offenders.isEmpty(), "these files send the reader to a document a clone does not have: "
                + offenders + "; say it in the project's own words (model/README.md is the reference)");
    }
}
