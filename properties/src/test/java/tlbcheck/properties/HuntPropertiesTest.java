package tlbcheck.properties;

import static org.junit.jupiter.api.Assertions.fail;

import io.vavr.collection.Array;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import tlbcheck.archive.Archive;
import tlbcheck.archive.Counterexample;
import tlbcheck.archive.CounterexampleFile;
import tlbcheck.hunt.Hunt;
import tlbcheck.hunt.HuntConfig;
import tlbcheck.hunt.HuntResult;
import tlbcheck.model.Model;
import tlbcheck.model.Scope;
import tlbcheck.model.Variant;
import tlbcheck.model.Variants;
import tlbcheck.model.invariant.Invariant;
import tlbcheck.model.invariant.Invariants;
import tlbcheck.report.Lanes;
import tlbcheck.report.VerdictMatrix;
import tlbcheck.report.VerdictRow;

/**
 * The hunt: one test per (variant, invariant) pair of the catalogue (model/README.md). A row expected to
 * violate passes when the hunt finds the violation within its budget and fails when it does not
 * (the checker lost its teeth); a row expected to hold fails, with the shrunk counterexample and
 * its seed, when a violation is found. Every run writes the verdict matrix.
 */
class HuntPropertiesTest {

    static final VerdictMatrix MATRIX = new VerdictMatrix();

    /** Every registered catalogue's variants: the built-in V1-V13 and any user catalogue on the test classpath. */
    static Array<Variant> variants() {
        return tlbcheck.model.Catalogues.get().variants();
    }

    /**
     * One container per (variant, invariant): the hunt, then exhaustive search of the small scope. A shard
     * other than the first hunts only: the exhaustive search is not split, and shard 1 runs it whole.
     */
    @TestFactory
    Stream<DynamicContainer> properties() {
        HuntSettings.validate();
        java.util.List<io.vavr.Tuple2<Variant, Invariant>> selected = variants().toJavaStream()
                .filter(v -> HuntSettings.selected("tlbcheck.variant", v.name(), v.row()))
                .flatMap(v -> tlbcheck.model.Catalogues.get().invariants().toJavaStream()
                        .filter(i -> HuntSettings.selected("tlbcheck.invariant", i.name(),
                                i.number() > 0 ? String.valueOf(i.number()) : i.name()))
                        .filter(i -> Expected.verdict(v, i).isDefined())
                        .map(i -> io.vavr.Tuple.of(v, i)))
                .toList();
        if (HuntSettings.deep()) System.out.println(worstCase(selected.size(), HuntSettings.config("any")));
        if (HuntSettings.get("tlbcheck.scope").isDefined() && HuntSettings.get("tlbcheck.exploreScope").isEmpty()
                && !HuntSettings.exploreOnly()) {
            // A newcomer's larger hunting scope made its exhaustive search 17 million states without a word.
            System.out.println("-Dtlbcheck.scope=" + HuntSettings.get("tlbcheck.scope").get() + " is exhaustive search's"
                    + " scope too; -Dtlbcheck.exploreScope keeps it small, -Dtlbcheck.depth=K bounds it");
        }
        if (HuntSettings.exploreOnly()) {
            System.out.println("exhaustive search of " + selected.size() + " properties in 2 CPUs, 2 pages, 3 frames"
                    + " and the SMMU of a variant that has one (unless -Dtlbcheck.exploreScope), no hunt");
        }
        HuntsAhead hunts = new HuntsAhead(selected.size(), Runtime.getRuntime().availableProcessors(),
                k -> hunt(selected.get(k)._1, selected.get(k)._2, position(k, selected.size())));
        return java.util.stream.IntStream.range(0, selected.size()).mapToObj(k -> property(selected.get(k)._1,
                selected.get(k)._2, Expected.verdict(selected.get(k)._1, selected.get(k)._2).get(), () -> hunts.result(k)));
    }

    private static String position(int k, int of) {
        return "[" + (k + 1) + "/" + of + "] ";
    }

    /** What a long hunt says before it starts: how long it takes at worst, bounded by its time limits. */
    static String worstCase(int properties, HuntConfig config) {
        long hunt = Math.round(properties * config.seconds());
        double exhaustive = tlbcheck.explore.Explorer.Config.defaults().seconds();
        return String.format("hunting %d properties%s, each for at most %.0f s or %,d tries: at most %s of walks"
                        + " (plus at most %.0f s of shrinking per violation and %.0f s of exhaustive search per property,"
                        + " seconds in practice); -Dtlbcheck.seconds=S sets the time per property",
                properties, config.sharded() ? " (shard " + config.shardLabel() + ")" : "", config.seconds(),
                config.tries(), duration(hunt), config.shrinkSeconds(), exhaustive);
    }

    static String duration(long seconds) {
        return seconds >= 3600 ? String.format("%dh%02dm", seconds / 3600, seconds % 3600 / 60)
                : seconds >= 60 ? String.format("%dm%02ds", seconds / 60, seconds % 60) : seconds + " s";
    }

    static DynamicContainer property(Variant variant, Invariant invariant, String expected,
                                     java.util.function.Supplier<HuntResult> hunted) {
        String name = variant.row() + " " + variant.name() + " / " + invariant.number() + " " + invariant.name()
                + ": expected " + expected;
        Stream<DynamicTest> hunt = HuntSettings.exploreOnly() ? Stream.empty() : Stream.of(
                DynamicTest.dynamicTest("hunt", () -> judge(hunted.get(), variant, invariant, expected)));
        return DynamicContainer.dynamicContainer(name, HuntSettings.shard()[0] > 0 ? hunt : Stream.concat(hunt,
                Stream.of(DynamicTest.dynamicTest("exhaustive " + ExhaustiveCheck.scope(variant),
                        () -> ExhaustiveCheck.check(variant, invariant, expected)))));
    }

    /** The hunt of one row, with its progress lines (the deep hunt's) marked by the row's position. */
    static HuntResult hunt(Variant variant, Invariant invariant, String position) {
        Model model = new Model(variant, HuntSettings.huntScope(variant));
        return Hunt.run(model, invariant, config(variant, invariant), line -> System.out.println(position + line));
    }

    private static HuntConfig config(Variant variant, Invariant invariant) {
        return HuntSettings.config(variant, invariant);
    }

    /** The row's verdict against its expectation, its counterexample archived, its line in the matrix. */
    static HuntResult judge(HuntResult r, Variant variant, Invariant invariant, String expected) {
        HuntConfig config = config(variant, invariant);
        VerdictRow row = VerdictMatrix.row(r, expected);
        if (r.violated()) {
            row = row.withCounterexample(archive(r, variant, invariant));
        } else {
            row = row.withCounterexample(archived(variant, invariant));
        }
        if (config.sharded()) row = row.withShard(config.shardLabel());
        MATRIX.add(row);
        System.out.println(summary(r) + (HuntSettings.crossCheck(variant, invariant) && !r.violated()
                ? ", a cross-check: exhaustive search below covers this scope" : ""));
        if (!HuntSettings.deep() && HuntSettings.get("tlbcheck.seconds").isEmpty()) {
            clockStopped(r, config).forEach(org.junit.jupiter.api.Assertions::fail);
        }
        if (!r.violated() && r.racyRuns() == 0) {
            System.out.println("WARNING " + variant.name() + " / " + invariant.name() + ": no run reached the racy state ("
                    + invariant.racyState() + "); 'holds' here is weak evidence");
        }
        if (expected.equals(r.observed())) {
            return r;
        }
        if (r.violated()) {
            fail(variant.name() + " violates " + invariant.name() + ", expected to hold.\n" + tlbcheck.report.FailureReport.of(r));
        }
        if (config.sharded()) {
            // Another shard may hold the violation: 'tlbcheck merge' judges the whole hunt.
            System.out.println("shard " + config.shardLabel() + ": no violation of " + invariant.name() + " by "
                    + variant.name() + " in this shard's " + r.tries() + " tries; the merged matrix judges the row");
            return r;
        }
        fail(variant.name() + " was expected to violate " + invariant.name() + " but " + r.tries() + " tries ("
                + r.steps() + " steps, stopped by " + r.stoppedBy() + ", seed " + config.seed()
                + ") found nothing: the checker lost its teeth. " + missedBy(variant, invariant));
        return r;
    }

    /** States exhaustive search may store when it looks for what a hunt missed: a count, so the answer is the same anywhere. */
    static final long PROBE_STATES = 2_000_000;

    /**
     * What exhaustive search of the variant's small scope says of a violation the hunt did not find: the shortest trace,
     * with what to do, or that it finds none either.
     */
    static String missedBy(Variant variant, Invariant invariant) {
        Model small = new Model(variant, variant.smallScope());
        tlbcheck.explore.ExploreResult e = tlbcheck.explore.Explorer.explore(small, invariant,
                tlbcheck.explore.Explorer.Config.defaults().withMaxStates(PROBE_STATES));
        if (e.violated()) {
            return "Exhaustive search of " + small.scope() + " violates it in " + e.trace().get().size() + " steps (below),"
                    + " so the bug is in the model and the walks missed it: try -Dtlbcheck.tries=100000, and keep what"
                    + " finds it as the pair's Catalogue.huntTries; or leave out of the kernel the paths the bug does not"
                    + " need, which the walks then do not spend their steps on.\n"
                    + tlbcheck.report.Lanes.render(small, e.trace().get()) + e.violation().get();
        }
        return "Exhaustive search of " + small.scope() + " finds none either (" + e.verdict() + "): the bug is not in the"
                + " model in these scopes, or it needs a larger one (-Dtlbcheck.exploreScope)";
    }

    /**
     * The default build's verdicts and traces are bounded by counts: a hunt or a shrink the clock (the safety
     * net) stopped there would make the row depend on the machine's load, and fails it. Empty when counts did.
     */
    static io.vavr.control.Option<String> clockStopped(HuntResult r, HuntConfig config) {
        String row = r.model().variant().name() + " / " + r.invariant().name();
        if ("time".equals(r.stoppedBy())) {
            return io.vavr.control.Option.some(row + ": the " + plain(config.seconds()) + " s safety net stopped the hunt after "
                    + r.tries() + " of " + config.tries() + " tries (stoppedBy: time), so this verdict depends on the"
                    + " machine's load; the default build bounds work by counts: give the row fewer tries or a"
                    + " cheaper model, or rerun on a less loaded machine");
        }
        if (r.shrunk().isDefined() && r.shrunk().get().timedOut()
                && r.shrunk().get().candidates() < config.shrinkCandidates()) {
            return io.vavr.control.Option.some(row + ": the " + plain(config.shrinkSeconds()) + " s safety net stopped shrinking"
                    + " after " + r.shrunk().get().candidates() + " of " + config.shrinkCandidates() + " candidates, so the"
                    + " reported trace depends on the machine's load");
        }
        return io.vavr.control.Option.none();
    }

    private static String plain(double seconds) {
        return java.math.BigDecimal.valueOf(seconds).stripTrailingZeros().toPlainString();
    }

    static Path archiveDir() {
        return Path.of(System.getProperty("tlbcheck.counterexamples", "../counterexamples"));
    }

    /** The source archive and the build's own, each read once for the whole run. */
    static final Archive ARCHIVE = new Archive(archiveDir());
    static final Archive FOUND = new Archive(freshDir(
            Path.of(System.getProperty("tlbcheck.output", "target/tlbcheck")).resolve("counterexamples")));

    /** The build's own counterexamples are this run's: files an earlier run left there (of a model since changed) go. */
    private static Path freshDir(Path dir) {
        if (java.nio.file.Files.isDirectory(dir)) {
            try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) java.nio.file.Files.delete(f);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot clear " + dir, e);
            }
        }
        return dir;
    }

    /** The repository-relative path of an archived file of this property, or null. */
    static String archived(Variant variant, Invariant invariant) {
        return archived(ARCHIVE, variant, invariant);
    }

    static String archived(Archive archive, Variant variant, Invariant invariant) {
        return archive.of(variant.name(), invariant.name()).stream().findFirst()
                .map(p -> "counterexamples/" + p.getFileName()).orElse(null);
    }

    static String archive(HuntResult r, Variant variant, Invariant invariant) {
        return archive(r, variant, invariant, ARCHIVE, FOUND, Boolean.getBoolean("tlbcheck.archive"), System.out::println);
    }

    /**
     * A found counterexample goes into the archive under the deep hunt, or under target/ by default,
     * so nothing lands in the source tree unasked. A duplicate of an archived file is not written again,
     * and a row whose violation is archived is not news: only a violation with no archived file for its
     * (variant, invariant) is announced as new.
     */
    static String archive(HuntResult r, Variant variant, Invariant invariant, Archive archive, Archive found,
                          boolean archiveNew, java.util.function.Consumer<String> say) {
        Counterexample cx = CounterexampleFile.of(r.model(), invariant, r.shrunk().get().steps(),
                r.shrunk().get().violation(), Long.toString(r.seed()), "hunt", Expected.fixedBy(variant, invariant));
        java.util.Optional<Path> dup = archive.duplicateOf(cx);
        if (dup.isPresent()) {
            return "counterexamples/" + dup.get().getFileName();
        }
        String already = archived(archive, variant, invariant);
        if (already != null && !archiveNew) {
            // Not new: the row's violation is archived. One line, and only when this trace is shorter.
            Counterexample archived = archive.shortestOf(variant.name(), invariant.name()).get();
            if (cx.steps().size() < archived.steps().size()) {
                // A trace in a scope with more actors can be shorter than one the archive has in a smaller scope: say which.
                String scopes = cx.scope().equals(archived.scope()) ? "" : " in " + cx.scope();
                say.accept("found " + already + " again, shorter: " + cx.steps().size() + " steps" + scopes + " against "
                        + archived.steps().size() + (scopes.isEmpty() ? "" : " in " + archived.scope())
                        + " (-Pdeep-hunt archives it)");
            }
            return already;
        }
        if (archiveNew) {
            Path file = archive.save(cx);
            say.accept("archived new counterexample: " + file);
            return "counterexamples/" + file.getFileName();
        }
        Path file = found.save(cx);
        say.accept("new counterexample (not archived; -Pdeep-hunt archives): " + file);
        return "properties/target/tlbcheck/counterexamples/" + file.getFileName();
    }

    static String summary(HuntResult r) {
        return String.format("%s / %s in %s: %s after %d %s, %d steps, %.2fs (%.0f steps/s), racy runs %d%s%s",
                r.model().variant().name(), r.invariant().name(), r.model().scope(), r.observed(), r.tries(),
                r.tries() == 1 ? "try" : "tries", r.steps(), r.seconds(),
                r.stepsPerSecond(), r.racyRuns(),
                r.violated() ? String.format(", first violation in try %d at %.3fs, shrunk %d -> %d steps (%s), seed %d",
                        r.firstViolationTry(), r.secondsToViolation(), r.walk().size(),
                        r.shrunk().get().steps().size(), r.shrunk().get().shortest(), r.seed()) : "",
                r.invariant().number() == 7 ? String.format(", secondary/CPU flush ratio %.2f", r.mirrorRatio()) : "");
    }

    @AfterAll
    static void writeMatrix() {
        Path out = Path.of(System.getProperty("tlbcheck.output", "target/tlbcheck"));
        if (HuntSettings.exploreOnly()) {  // no hunt ran: the verdict matrix of an earlier hunt stays
            ExhaustiveCheck.write(out);
            System.out.println("exhaustive search: " + out.resolve("exhaustive.json"));
            return;
        }
        MATRIX.withShortest(ExhaustiveCheck.SHORTEST).write(out, ExhaustiveCheck.rows());
        ExhaustiveCheck.write(out);
        System.out.println("verdict matrix: " + out.resolve("verdicts.md"));
    }
}
