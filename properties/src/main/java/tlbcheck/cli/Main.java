package tlbcheck.cli;

import io.vavr.collection.Array;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tlbcheck.archive.ArchiveException;
import tlbcheck.archive.Counterexample;
import tlbcheck.archive.CounterexampleFile;
import tlbcheck.explore.ExploreResult;
import tlbcheck.explore.Explorer;
import tlbcheck.model.Catalogues;
import tlbcheck.model.Model;
import tlbcheck.model.Scope;
import tlbcheck.model.State;
import tlbcheck.model.Transition;
import tlbcheck.model.Variant;
import tlbcheck.model.Variants;
import tlbcheck.model.invariant.Invariant;
import tlbcheck.model.invariant.Invariants;
import tlbcheck.model.step.Step;
import tlbcheck.report.Lanes;
import tlbcheck.report.Mermaid;
import tlbcheck.report.StateDiff;

/** The command line: one counterexample file at a time, and exhaustive search for a shortest one. */
@Command(name = "tlbcheck", mixinStandardHelpOptions = true, version = "tlbcheck 0.1",
        description = "Replay, explain and render counterexample files; find shortest counterexamples; merge the"
                + " verdicts of hunt shards. 'tlbcheck COMMAND --help' describes each command.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:shortest found no violation; merge found a row not as expected",
                "2:bad input (no such file, not UTF-8 text, a malformed or outdated file, an unknown name) or usage"},
        subcommands = {Main.Replay.class, Main.Explain.class, Main.Render.class, Main.Shortest.class, Main.Rearchive.class,
                Merge.class})
public final class Main implements Callable<Integer> {

    @Override
    public Integer call() {
        CommandLine.usage(this, System.out);
        return 0;
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return new CommandLine(new Main())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println(e instanceof ArchiveException || e instanceof IllegalArgumentException
                            || e instanceof java.io.UncheckedIOException ? "error: " + e.getMessage() : "error: " + e);
                    return 2;
                })
                .execute(args);
    }

    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = "Replay a file: it must violate its invariant, and hold under each fixed-by.")
    static final class Replay implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", description = "a counterexample file, e.g. counterexamples/*.yaml") Path file;

        @Override
        public Integer call() {
            CounterexampleFile.Loaded l = CounterexampleFile.read(file);
            Array<Transition> ts = CounterexampleFile.reproduce(l);
            System.out.println(file + ": " + l.model().variant().name() + " violates " + l.invariant().name()
                    + " at step " + ts.size() + " (as archived)");
            for (String fix : l.counterexample().fixedBy()) {
                int skipped = CounterexampleFile.checkFixedBy(l, Catalogues.get().variant(fix));
                System.out.println(file + ": holds under fixed-by " + fix
                        + (skipped > 0 ? " (" + skipped + (skipped == 1 ? " step" : " steps")
                        + " did not apply there and " + (skipped == 1 ? "was" : "were") + " skipped)" : ""));
            }
            return 0;
        }
    }

    @Command(name = "explain", mixinStandardHelpOptions = true,
            description = "The lanes, then each step with what it changed.")
    static final class Explain implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", description = "a counterexample file, e.g. counterexamples/*.yaml") Path file;

        @Override
        public Integer call() {
            CounterexampleFile.Loaded l = CounterexampleFile.read(file);
            Model model = l.model();
            // Replayed first: a step that does not apply is reported with its file and line, before anything is printed.
            Array<Transition> ts = CounterexampleFile.reproduce(l);
            System.out.println(l.counterexample().violated());
            System.out.println();
            System.out.print(Lanes.render(model, ts.map(Transition::step)));
            System.out.println();
            State s = model.initial();
            int i = 0;
            for (Transition t : ts) {
                i++;
                System.out.printf("%3d %s: %s%n", i, t.step().actor(), t.step().describe(model, s));
                for (String c : StateDiff.changes(model, s, t.after())) System.out.println("      " + c);
                s = t.after();
            }
            return 0;
        }
    }

    @Command(name = "render", mixinStandardHelpOptions = true,
            description = "Render a file as a Mermaid sequence diagram (Markdown) or as lanes.")
    static final class Render implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", description = "a counterexample file, e.g. counterexamples/*.yaml") Path file;

        @Option(names = "--format", defaultValue = "mermaid", description = "mermaid or lanes (default: ${DEFAULT-VALUE})")
        String format;

        @Override
        public Integer call() {
            CounterexampleFile.Loaded l = CounterexampleFile.read(file);
            Array<Transition> ts = CounterexampleFile.reproduce(l);
            Array<Step> steps = ts.map(Transition::step);
            switch (format) {
                case "lanes" -> System.out.print(Lanes.render(l.model(), steps));
                case "mermaid" -> {
                    System.out.println("# " + l.counterexample().variant() + ": " + l.invariant().name() + "\n");
                    System.out.print(Mermaid.render(l.model(), steps,
                            l.invariant().check(l.model(), ts.last()).get()));
                }
                default -> throw new IllegalArgumentException("--format must be mermaid or lanes, not '" + format + "'");
            }
            return 0;
        }
    }

    @Command(name = "shortest", mixinStandardHelpOptions = true,
            description = "Explore a variant exhaustively and archive a shortest counterexample.")
    static final class Shortest implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "VARIANT", description = "a variant's name or row, e.g. V7") String variant;
        @Parameters(index = "1", paramLabel = "INVARIANT", description = "an invariant's name or number, e.g. 6") String invariant;

        @Option(names = "--scope", description = "e.g. 2,1,1,2 or 2cpu-0smmu-2page-3frame-2range (default: the variant's"
                + " small scope, whose range, aliases and writable pages a scope that does not name them keeps)") String scope;
        @Option(names = "--fixed-by", split = ",", description = "variants that must hold on the same steps") List<String> fixedBy;
        @Option(names = "--out", defaultValue = "counterexamples", description = "directory (default: ${DEFAULT-VALUE})") Path out;

        @Override
        public Integer call() {
            Variant v = Catalogues.get().variant(variant);
            Invariant inv = Catalogues.get().invariant(invariant);
            Model model = new Model(v, scope == null ? v.smallScope() : Scope.parse(scope, v.smallScope()));
            ExploreResult r = Explorer.explore(model, inv, Explorer.Config.defaults().withProgress(10), System.out::println);
            System.out.println(r.verdict());
            if (!r.violated()) return 1;
            Counterexample cx = CounterexampleFile.of(model, inv, r.trace().get(), r.violation().get(), "-", "exhaustive",
                    fixedBy == null ? List.of() : fixedBy);
            Path written = out.resolve(cx.fileName());
            io.vavr.control.Option<String> before = readIfThere(written);
            writeChecked(written, cx);
            boolean same = before.equals(readIfThere(written));
            System.out.println((before.isEmpty() ? "wrote " : same ? "unchanged: " : "replaced ") + written
                    + (before.isDefined() && !same ? " (it held another counterexample; git diff shows it)" : ""));
            return 0;
        }
    }

    @Command(name = "rearchive", mixinStandardHelpOptions = true,
            description = "Replay archived files and replace each whose steps no longer reproduce (the model or its"
                    + " variant changed since) by a shortest counterexample of the same variant, invariant, scope and"
                    + " fixed-by, in place. A file that still reproduces is kept as it is.")
    static final class Rearchive implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", arity = "1..*", description = "counterexample files, e.g. counterexamples/*.yaml")
        List<Path> files;

        @Override
        public Integer call() {
            int left = 0;
            for (Path file : files) {
                CounterexampleFile.Loaded l = CounterexampleFile.read(file);
                try {
                    CounterexampleFile.reproduce(l);
                    System.out.println(file + ": still reproduces, kept");
                    continue;
                } catch (ArchiveException stale) {
                    System.out.println(stale.getMessage());
                }
                Counterexample old = l.counterexample();
                ExploreResult r = Explorer.explore(l.model(), l.invariant(), Explorer.Config.defaults().withProgress(10),
                        System.out::println);
                if (!r.violated()) {
                    System.out.println(file + ": kept, for you to decide: exhaustive search of " + old.scope() + " "
                            + r.verdict() + (r.complete() ? ", so the model no longer has this bug there"
                            : ", before it found the bug: the scope is too large to search whole here"));
                    left++;
                    continue;
                }
                Counterexample cx = CounterexampleFile.of(l.model(), l.invariant(), r.trace().get(), r.violation().get(),
                        "-", "exhaustive", old.fixedBy());
                writeChecked(file, cx);
                System.out.println("replaced " + file + ": shortest counterexample " + r.trace().get().size() + " steps, was "
                        + old.steps().size() + " (git diff shows it)");
            }
            return left > 0 ? 1 : 0;
        }
    }

    /** Writes the file, then reads it back: it must violate as written and hold under each fixed-by. */
    private static void writeChecked(Path file, Counterexample cx) {
        CounterexampleFile.writeTo(file, cx);
        CounterexampleFile.Loaded l = CounterexampleFile.read(file);
        CounterexampleFile.reproduce(l);
        for (String fix : cx.fixedBy()) CounterexampleFile.checkFixedBy(l, Catalogues.get().variant(fix));
    }

    /** A file's text, if there is one to read. */
    private static io.vavr.control.Option<String> readIfThere(Path file) {
        return io.vavr.control.Try.of(() -> java.nio.file.Files.readString(file)).toOption();
    }
}
