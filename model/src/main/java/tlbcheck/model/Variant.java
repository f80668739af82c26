package tlbcheck.model;

import tlbcheck.model.kernel.Kernel;

/**
 * A kernel variant on a platform: what a patch under review is encoded as. Variants are data: a
 * new one is a new value built from existing procedures, never a branch in the engine.
 *
 * @param name unique name, used on the command line and in counterexample files
 * @param row the catalogue row id ("V1".."V13"), or "" for variants outside the catalogue
 * @param summary one line for reports
 * @param scope the default scope the hunt walks
 * @param smallScope the scope exhaustive search explores completely in every build
 */
public record Variant(String name, String row, String summary, Platform platform, Kernel kernel, Scope scope,
                      Scope smallScope) {

    public Variant withKernel(String newName, String newSummary, Kernel newKernel) {
        return new Variant(newName, "", newSummary, platform, newKernel, scope, smallScope);
    }

    public Variant withScope(Scope newScope) {
        return new Variant(name, row, summary, platform, kernel, newScope, smallScope);
    }

    /** The same variant with both scopes replaced: the hunt's and exhaustive search's. */
    public Variant withScopes(Scope hunt, Scope exhaustive) {
        return new Variant(name, row, summary, platform, kernel, hunt, exhaustive);
    }

    @Override
    public String toString() {
        return name;
    }
}
