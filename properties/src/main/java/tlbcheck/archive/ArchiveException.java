package tlbcheck.archive;

import java.nio.file.Path;

/** A counterexample file that cannot be used, with where and what to do about it. */
public final class ArchiveException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final int line;

    public ArchiveException(Path file, int line, String problem, String fix) {
        super(file + (line > 0 ? ":" + line : "") + ": " + problem + (fix.isEmpty() ? "" : "\n  fix: " + fix));
        this.file = file;
        this.line = line;
    }

    public Path file() {
        return file;
    }

    /** 1-based line, or 0 when the problem is the file as a whole. */
    public int line() {
        return line;
    }
}
