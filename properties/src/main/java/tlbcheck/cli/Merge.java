package tlbcheck.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tlbcheck.report.VerdictMatrix;
import tlbcheck.report.VerdictMerge;

/** {@code merge}: one verdict matrix from the shards' {@code verdicts.json}. */
@Command(name = "merge", mixinStandardHelpOptions = true,
        description = {"Merge the verdicts.json of hunt shards (-Dtlbcheck.shard=K/N) into one matrix, verdicts.json and"
                + " verdicts.md, with the exhaustive.json found beside any of them.",
                "Exit 0 when every row is as expected, 1 when one is not, 2 on bad input (a shard missing or given"
                + " twice, a file that is not a verdicts.json)."})
final class Merge implements Callable<Integer> {

    @Parameters(paramLabel = "VERDICTS_JSON", arity = "1..*", description = "the shards' verdicts.json files (or the directories holding them)")
    List<String> files;

    @Option(names = "--out", defaultValue = "target/tlbcheck-merged",
            description = "directory for the merged verdicts.json and verdicts.md (default: ${DEFAULT-VALUE})")
    Path out;

    @Override
    public Integer call() {
        List<Path> paths = VerdictMerge.paths(files);
        VerdictMatrix merged = VerdictMerge.merge(paths);
        List<java.util.Map<String, Object>> exhaustive = VerdictMerge.exhaustive(paths);
        merged.write(out, exhaustive);
        if (!exhaustive.isEmpty()) VerdictMatrix.writeExhaustive(out, exhaustive);
        merged.rows().stream().filter(r -> !r.asExpected()).forEach(r -> System.out.println("NOT AS EXPECTED: "
                + r.row() + " " + r.variant() + " / " + r.invariant() + " " + r.observed() + ", expected " + r.expected()
                + (r.violated() ? " (seed " + r.seed() + ")" : "")));
        long violating = merged.rows().stream().filter(r -> "violates".equals(r.observed())).count();
        long unexpected = merged.rows().stream()
                .filter(r -> r.expected() != null && !r.expected().equals(r.observed())).count();
        System.out.println("merged " + files.size() + " files: " + merged.rows().size() + " rows, " + violating
                + " violating, " + unexpected + " not as expected -> " + out.resolve("verdicts.json"));
        return unexpected == 0 ? 0 : 1;
    }
}
