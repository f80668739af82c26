package tlbcheck.explore;

/** The explorer's visited set cannot grow within the JVM's memory: the scope is too large to explore completely. */
public final class ScopeTooLargeException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    ScopeTooLargeException(long states, long bytesNeeded, long bytesFree) {
        super(String.format("scope too large to explore: at %,d states the visited set needs %,d MiB more and the JVM"
                        + " can give %,d MiB (about %d bytes a state); explore a smaller scope, bound the depth with"
                        + " -Dtlbcheck.depth, or give the JVM more memory (-Xmx, or argLine for the tests)",
                states, bytesNeeded >> 20, bytesFree >> 20, states > 0 ? bytesNeeded / states : 0));
    }
}
