package tlbcheck.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The mutation score of the model, by package, from PIT's {@code mutations.xml} (run by {@code -Pmutation} after PIT):
 * printed, and written beside the report as {@code score.txt}. Killed counts as PIT counts it: a test failed, or the
 * mutant timed out or ran out of memory. Test strength is the killed share of the mutants some selected test reaches.
 *
 * <p>{@code MutationScore FILE...} adds up several reports (runs of one package each, {@code -Dmutation.classes}).
 */
public final class MutationScore {

    private MutationScore() {}

    /** Counts of one package: total, killed, no coverage. */
    private static final class Counts {
        int total;
        int killed;
        int noCoverage;

        String line(String name) {
            return String.format("%-26s %5d mutants, %5d killed (%5.1f%%), %4d survived, %4d not covered, test strength %5.1f%%",
                    name, total, killed, 100.0 * killed / Math.max(1, total), total - killed - noCoverage, noCoverage,
                    100.0 * killed / Math.max(1, total - noCoverage));
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, Counts> byPackage = new TreeMap<>();
        Counts all = new Counts();
        for (String file : args) {
            Path xml = Path.of(file);
            if (!Files.exists(xml)) {
                throw new IllegalArgumentException(xml + " does not exist: run PIT first (mvn verify -Pmutation)");
            }
            NodeList mutations = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile())
                    .getElementsByTagName("mutation");
            for (int i = 0; i < mutations.getLength(); i++) {
                Element m = (Element) mutations.item(i);
                String status = m.getAttribute("status");
                String cls = m.getElementsByTagName("mutatedClass").item(0).getTextContent();
                String pkg = cls.substring(0, cls.lastIndexOf('.'));
                for (Counts c : new Counts[] {all, byPackage.computeIfAbsent(pkg, k -> new Counts())}) {
                    c.total++;
                    if (m.getAttribute("detected").equals("true")) c.killed++;
                    if (status.equals("NO_COVERAGE")) c.noCoverage++;
                }
            }
        }
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, Counts> e : byPackage.entrySet()) out.append(e.getValue().line(e.getKey())).append('\n');
        out.append(all.line("model")).append('\n');
        System.out.print("mutation score (" + String.join(", ", args) + "):\n" + out);
        if (args.length == 1) {
            Path score = Path.of(args[0]).resolveSibling("score.txt");
            Files.writeString(score, out.toString());
            System.out.println("written to " + score + "; mutants one by one: " + Path.of(args[0]).resolveSibling("index.html"));
        }
    }
}
