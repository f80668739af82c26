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
        description = "Merge the verdicts.json of hunt shards (-Dtlbcheck.shard=K/N) into one matrix.")
final class Merge implements Callable<Integer> {

    @Parameters(paramLabel = "VERDICTS_JSON", arity = "1..*", description = "the shards' verdicts.json files")
    List<String> files;

    @Option(names = "--out", defaultValue = "target/tlbcheck-merged",
            description = "directory for the merged verdicts.json and verdicts.md (default: ${DEFAULT-VALUE})")
    Path out;

    @Override
    public Integer call() {
        VerdictMatrix merged = VerdictMerge.merge(VerdictMerge.paths(files));
        merged.write(out);
        long violating = merged.rows().stream().filter(r -> "violates".equals(r.observed())).count();
        long unexpected = merged.rows().stream()
                .filter(r -> r.expected() != null && !r.expected().equals(r.observed())).count();
        System.out.println("merged " + files.size() + " files: " + merged.rows().size() + " rows, " + violating
                + " violating, " + unexpected + " not as expected -> " + out.resolve("verdicts.json"));
        return unexpected == 0 ? 0 : 1;
    }
}
