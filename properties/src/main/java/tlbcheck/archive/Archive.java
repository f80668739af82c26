package tlbcheck.archive;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A directory of counterexample files: finding one for a property, and saving a new one once. The
 * directory is read and parsed once, on first use; files saved through it join what it knows.
 */
public final class Archive {

    private final Path dir;
    private List<Map.Entry<Path, Counterexample>> entries;

    public Archive(Path dir) {
        this.dir = dir;
    }

    private synchronized List<Map.Entry<Path, Counterexample>> entries() {
        if (entries == null) {
            entries = new ArrayList<>();
            for (Path f : files()) entries.add(Map.entry(f, CounterexampleFile.read(f).counterexample()));
        }
        return entries;
    }

    public List<Path> files() {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    /** The archived files of a (variant, invariant) pair. */
    public synchronized List<Path> of(String variant, String invariant) {
        return entries().stream()
                .filter(e -> e.getValue().variant().equals(variant) && e.getValue().invariant().equals(invariant))
                .map(Map.Entry::getKey).toList();
    }

    /** The shortest archived counterexample of a (variant, invariant) pair, if there is one. */
    public synchronized Optional<Counterexample> shortestOf(String variant, String invariant) {
        return entries().stream().map(Map.Entry::getValue)
                .filter(c -> c.variant().equals(variant) && c.invariant().equals(invariant))
                .min(java.util.Comparator.comparingInt(c -> c.steps().size()));
    }

    /** An archived file with the same variant, invariant and steps, if there is one. */
    public synchronized Optional<Path> duplicateOf(Counterexample cx) {
        return entries().stream().filter(e -> {
            Counterexample a = e.getValue();
            return a.variant().equals(cx.variant()) && a.invariant().equals(cx.invariant()) && a.steps().equals(cx.steps());
        }).map(Map.Entry::getKey).findFirst();
    }

    /** Saves a counterexample unless it is archived already; returns the file that holds it. */
    public synchronized Path save(Counterexample cx) {
        Optional<Path> dup = duplicateOf(cx);
        if (dup.isPresent()) return dup.get();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        String base = cx.fileName().replace(".yaml", "");
        Path file = dir.resolve(cx.fileName());
        for (int n = 2; Files.exists(file); n++) file = dir.resolve(base + "-" + n + ".yaml");
        try {
            Files.writeString(file, CounterexampleFile.text(cx));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        // A file the build names must read back and replay to the same violation.
        CounterexampleFile.reproduce(CounterexampleFile.read(file));
        entries().add(Map.entry(file, cx));
        return file;
    }
}
