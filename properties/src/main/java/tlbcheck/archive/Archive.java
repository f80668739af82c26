package tlbcheck.archive;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** A directory of counterexample files: finding one for a property, and saving a new one once. */
public final class Archive {

    private final Path dir;

    public Archive(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
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
    public List<Path> of(String variant, String invariant) {
        return files().stream().filter(f -> {
            Counterexample cx = CounterexampleFile.read(f).counterexample();
            return cx.variant().equals(variant) && cx.invariant().equals(invariant);
        }).toList();
    }

    /** An archived file with the same variant, invariant and steps, if there is one. */
    public Optional<Path> duplicateOf(Counterexample cx) {
        return files().stream().filter(f -> {
            Counterexample a = CounterexampleFile.read(f).counterexample();
            return a.variant().equals(cx.variant()) && a.invariant().equals(cx.invariant()) && a.steps().equals(cx.steps());
        }).findFirst();
    }

    /** Saves a counterexample unless it is archived already; returns the file that holds it. */
    public Path save(Counterexample cx) {
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
        return file;
    }
}
