package tlbcheck.archive;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.vavr.collection.Array;
import io.vavr.control.Option;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.yaml.snakeyaml.DumperOptions;
import tlbcheck.model.Model;
import tlbcheck.model.Scope;
import tlbcheck.model.State;
import tlbcheck.model.Transition;
import tlbcheck.model.Variant;
import tlbcheck.model.invariant.Invariant;
import tlbcheck.model.invariant.Invariants;
import tlbcheck.model.invariant.Violation;
import tlbcheck.model.step.Advance;
import tlbcheck.model.step.Step;
import tlbcheck.report.Lanes;

/** Reads, checks, replays and writes counterexample files. */
public final class CounterexampleFile {

    private CounterexampleFile() {}

    static final ObjectMapper YAML = mapper(DumperOptions.FlowStyle.BLOCK);

    /**
     * The largest file read or written, in code points: 64 Mi, about a million steps (SnakeYAML's own
     * default, 3 Mi, would refuse a long hunt-found trace as if the file were broken).
     */
    public static final int MAX_CODE_POINTS = 64 * 1024 * 1024;

    /** Writes one step as one line: {@code {step: Start, cpu: 0, procedure: fault_upgrade, page: 0, write: true}}. */
    private static final ObjectMapper FLOW = mapper(DumperOptions.FlowStyle.FLOW);

    private static ObjectMapper mapper(DumperOptions.FlowStyle style) {
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(style);
        o.setWidth(400);
        o.setIndent(2);
        org.yaml.snakeyaml.LoaderOptions load = new org.yaml.snakeyaml.LoaderOptions();
        load.setCodePointLimit(MAX_CODE_POINTS);
        return new ObjectMapper(YAMLFactory.builder()
                .loaderOptions(load)
                .dumperOptions(o)
                .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .disable(YAMLGenerator.Feature.USE_NATIVE_TYPE_ID)
                .build())
                .addMixIn(Step.class, StepMixin.class)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);
    }

    /** A parsed file with what it names resolved, and where its parts stand in the text. */
    public record Loaded(Path file, Counterexample counterexample, Model model, Invariant invariant,
                         Map<String, Integer> keyLines, List<Integer> stepLines) {

        int line(String key) {
            return keyLines.getOrDefault(key, 0);
        }

        int stepLine(int index) {
            return index < stepLines.size() ? stepLines.get(index) : 0;
        }
    }

    public static Counterexample of(Model model, Invariant invariant, Array<Step> steps, Violation violation, String seed,
                                    String source, List<String> fixedBy) {
        Variant v = model.variant();
        return new Counterexample(Counterexample.FORMAT, v.name(), v.row(), v.platform().in(model.scope()),
                model.scope().toString(), invariant.name(), invariant.number(), invariant.meaning(), seed, source,
                fixedBy, Lanes.render(model, steps), violation.toString(), violation.evidence(), steps.asJava());
    }

    /** The file's text: the header, lanes and violation in block style, then one line per step. */
    public static String text(Counterexample cx) {
        try {
            com.fasterxml.jackson.databind.node.ObjectNode head = YAML.valueToTree(cx);
            head.remove("steps");
            StringBuilder b = new StringBuilder("# tlbcheck counterexample: read the lanes top to bottom;"
                    + " 'steps' replays it exactly.\n");
            b.append(YAML.writeValueAsString(head)).append("steps:\n");
            for (Step step : cx.steps()) {
                com.fasterxml.jackson.databind.node.ObjectNode node = FLOW.valueToTree(step);
                // A one-page Start is written as before ranges existed, so older files and new ones read alike.
                if (step instanceof tlbcheck.model.step.Start st && st.pages() == 1) node.remove("pages");
                b.append("- ").append(FLOW.writeValueAsString(node).strip()).append('\n');
            }
            return b.toString();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + cx.fileName(), e);
        }
    }

    public static Path write(Path dir, Counterexample cx) {
        return writeTo(dir.resolve(cx.fileName()), cx);
    }

    /** Writes the counterexample over {@code file}, whatever its name: a stale archived file replaced in place. */
    public static Path writeTo(Path file, Counterexample cx) {
        try {
            if (file.getParent() != null) Files.createDirectories(file.getParent());
            Files.writeString(file, text(cx));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a counterexample to " + file, e);
        }
    }

    public static Loaded read(Path file) {
        return read(file, name -> tlbcheck.model.Catalogues.get().variant(name));
    }

    private static ArchiveException notText(Path file) {
        return new ArchiveException(file, 0, "not UTF-8 text, so not a counterexample file",
                "give a counterexample file (YAML text, e.g. counterexamples/*.yaml)");
    }

    public static Loaded read(Path file, Function<String, Variant> variants) {
        String text;
        try {
            text = Files.readString(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ArchiveException(file, 0, "no such file", "check the path; archived files are in counterexamples/");
        } catch (java.nio.charset.CharacterCodingException e) {
            throw notText(file);
        } catch (IOException e) {
            throw new ArchiveException(file, 0, Files.isDirectory(file) ? "a directory, not a file"
                    : "cannot read the file: " + e.getMessage(), "give a counterexample file (.yaml)");
        }
        if (text.indexOf('\0') >= 0) throw notText(file);
        JsonNode tree;
        try {
            tree = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ArchiveException(file, line(e.getLocation()), "not valid YAML: " + e.getOriginalMessage(),
                    "restore the file from version control, or archive the counterexample again");
        }
        Map<String, Integer> keyLines = new HashMap<>();
        List<Integer> stepLines = new ArrayList<>();
        locate(text, keyLines, stepLines);
        if (tree == null || !tree.isObject()) {
            throw new ArchiveException(file, 1, "the file is empty or not a mapping",
                    "a counterexample file is a YAML mapping that starts with 'tlbcheck: " + Counterexample.FORMAT + "'");
        }
        JsonNode version = tree.get("tlbcheck");
        int versionLine = keyLines.getOrDefault("tlbcheck", 1);
        if (version == null || !version.isInt()) {
            throw new ArchiveException(file, versionLine, "no format version ('tlbcheck: N')",
                    "add 'tlbcheck: " + Counterexample.FORMAT + "' as the first line, or archive it again");
        }
        if (version.asInt() > Counterexample.FORMAT) {
            throw new ArchiveException(file, versionLine, "format version " + version.asInt()
                    + " is newer than this tlbcheck reads (" + Counterexample.FORMAT + ")", "update tlbcheck");
        }
        if (version.asInt() < Counterexample.FORMAT) {
            throw new ArchiveException(file, versionLine, "format version " + version.asInt() + " is outdated (this"
                    + " tlbcheck reads " + Counterexample.FORMAT + ")", "archive the counterexample again with this tlbcheck");
        }
        for (String key : List.of("variant", "invariant", "scope", "steps")) {
            if (!tree.hasNonNull(key)) {
                throw new ArchiveException(file, text.split("\n", -1).length, "'" + key + "' is missing", "every counterexample has its " + key + "; restore the file or archive it again");
            }
        }
        for (JsonNode step : tree.path("steps")) {
            if (step instanceof com.fasterxml.jackson.databind.node.ObjectNode o && "Start".equals(o.path("step").asText())
                    && !o.has("pages")) {
                o.put("pages", 1);
            }
        }
        Counterexample cx;
        try {
            cx = YAML.treeToValue(tree, Counterexample.class);
        } catch (JsonProcessingException e) {
            String path = e instanceof com.fasterxml.jackson.databind.JsonMappingException m ? pathOf(m) : "";
            throw new ArchiveException(file, lineOfPath(path, keyLines, stepLines),
                    (path.isEmpty() ? "" : "at " + path + ": ") + e.getOriginalMessage(),
                    "compare with a file written by this tlbcheck: step kinds are " + stepKinds());
        }
        Variant variant;
        try {
            variant = variants.apply(cx.variant());
        } catch (IllegalArgumentException e) {
            throw new ArchiveException(file, keyLines.getOrDefault("variant", 0), e.getMessage(),
                    "name a variant of a registered catalogue (yours must be in META-INF/services/tlbcheck.model.Catalogue);"
                            + " a catalogue kept in the test tree is on the command line's classpath only through"
                            + " mvn -q -pl properties -am test-compile exec:java -Dexec.classpathScope=test"
                            + " -Dexec.args=\"...\"; or delete the file if the variant was retired");
        }
        Invariant invariant;
        try {
            invariant = tlbcheck.model.Catalogues.get().invariant(cx.invariant());
        } catch (IllegalArgumentException e) {
            throw new ArchiveException(file, keyLines.getOrDefault("invariant", 0), e.getMessage(),
                    "name an invariant of a registered catalogue");
        }
        Scope scope;
        try {
            scope = Scope.parse(cx.scope());
        } catch (IllegalArgumentException e) {
            throw new ArchiveException(file, keyLines.getOrDefault("scope", 0), e.getMessage(),
                    "write the scope as e.g. 2cpu-1smmu-1page-2frame");
        }
        if (cx.steps().isEmpty()) {
            throw new ArchiveException(file, keyLines.getOrDefault("steps", 0), "no steps", "a counterexample has steps");
        }
        return new Loaded(file, cx, new Model(variant, scope), invariant, keyLines, stepLines);
    }

    private static String stepKinds() {
        return "CpuFill, CpuEvict, CpuAccess, SmmuFill, SmmuEvict, DeviceIssue, DeviceAccess, Start, HandleDeviceFault, Advance,"
                + " VcpuFill, VcpuEvict, VcpuAccess, AtcFill, AtcEvict";
    }

    private static String pathOf(com.fasterxml.jackson.databind.JsonMappingException e) {
        StringBuilder b = new StringBuilder();
        for (var ref : e.getPath()) {
            if (ref.getFieldName() != null) b.append(b.length() == 0 ? "" : ".").append(ref.getFieldName());
            else b.append('[').append(ref.getIndex()).append(']');
        }
        return b.toString();
    }

    private static int lineOfPath(String path, Map<String, Integer> keyLines, List<Integer> stepLines) {
        if (path.startsWith("steps[")) {
            int i = Integer.parseInt(path.substring(6, path.indexOf(']')));
            return i < stepLines.size() ? stepLines.get(i) : keyLines.getOrDefault("steps", 0);
        }
        String key = path.contains(".") ? path.substring(0, path.indexOf('.')) : path;
        return keyLines.getOrDefault(key, 0);
    }

    private static int line(JsonLocation location) {
        return location == null ? 0 : location.getLineNr();
    }

    /** Lines of the top-level keys and of each step, from a streaming pass over the text. */
    private static void locate(String text, Map<String, Integer> keyLines, List<Integer> stepLines) {
        try (JsonParser p = YAML.getFactory().createParser(text)) {
            int depth = 0;
            boolean inSteps = false;
            String lastKey = null;
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.FIELD_NAME && depth == 1) {
                    lastKey = p.currentName();
                    keyLines.put(lastKey, line(p.currentTokenLocation()));
                } else if (t == JsonToken.START_ARRAY || t == JsonToken.START_OBJECT) {
                    if (t == JsonToken.START_ARRAY && depth == 1 && "steps".equals(lastKey)) inSteps = true;
                    if (t == JsonToken.START_OBJECT && depth == 2 && inSteps) stepLines.add(line(p.currentTokenLocation()));
                    depth++;
                } else if (t == JsonToken.END_ARRAY || t == JsonToken.END_OBJECT) {
                    depth--;
                    if (depth == 1) inSteps = false;
                }
            }
        } catch (IOException e) {
            // Already reported by the tree parse; lines are best effort.
        }
    }

    /**
     * Replays the steps exactly under the file's own variant: each must be enabled where it stands,
     * and the last must break the invariant.
     */
    public static Array<Transition> reproduce(Loaded l) {
        Model model = l.model();
        State s = model.initial();
        List<Transition> done = new ArrayList<>();
        List<Step> steps = l.counterexample().steps();
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            Option<String> why = step.refusal(model, s);
            if (why.isDefined()) {
                boolean outOfScope = why.get().contains("is not in the scope");
                throw new ArchiveException(l.file(), l.stepLine(i), "step " + (i + 1) + " " + Steps.text(step)
                        + " is not enabled under " + model.variant().name() + ": " + why.get(),
                        outOfScope
                                ? "the step names an actor or page the file's scope (" + model.scope() + ") does not"
                                        + " have: fix the index on this line, or the 'scope' line if it was edited"
                                : "the model or the variant changed since this was archived: 'tlbcheck rearchive "
                                        + l.file() + "' puts a shortest counterexample in its place, or delete the"
                                        + " file if the bug is gone for good");
            }
            Transition t = step.fire(model, s);
            done.add(t);
            Option<Violation> v = l.invariant().check(model, t).map(x -> x.of(l.invariant()));
            if (v.isDefined()) {
                if (i != steps.size() - 1) {
                    throw new ArchiveException(l.file(), l.stepLine(i), "the violation now comes at step " + (i + 1)
                            + " of " + steps.size() + ": " + v.get().explanation(), "archive the shorter counterexample: 'tlbcheck rearchive "
                            + l.file() + "'");
                }
                return Array.ofAll(done);
            }
            s = t.after();
        }
        throw new ArchiveException(l.file(), l.stepLine(steps.size() - 1), "no longer reproduces: all "
                + steps.size() + " steps run under " + model.variant().name() + " without violating " + l.invariant().name()
                + "; the last step leaves " + Steps.summary(s),
                "if " + model.variant().name() + " was fixed on purpose, add the fix as a variant and list it under"
                        + " fixed-by instead; otherwise the model changed: 'tlbcheck rearchive " + l.file() + "'");
    }

    /**
     * The same steps under a fixed variant: steps that do not apply there (a procedure with other
     * ops) are skipped, and procedures left in flight are run to completion. None of it may break
     * the invariant. Returns the number of steps skipped.
     */
    public static int checkFixedBy(Loaded l, Variant fix) {
        Model model = new Model(fix, l.model().scope());
        State s = model.initial();
        int skipped = 0;
        List<Step> steps = new ArrayList<>(l.counterexample().steps());
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            if (!step.enabled(model, s)) {
                skipped++;
                continue;
            }
            s = checked(l, fix, model, s, step, i);
        }
        for (int guard = 0; guard < 1000; guard++) {
            Step next = null;
            for (int c = 0; c < s.cpus() && next == null; c++) {
                Step a = new Advance(c);
                if (a.enabled(model, s)) next = a;
            }
            if (next == null) break;
            s = checked(l, fix, model, s, next, steps.size());
        }
        return skipped;
    }

    private static State checked(Loaded l, Variant fix, Model model, State s, Step step, int index) {
        Transition t = step.fire(model, s);
        Option<Violation> v = l.invariant().check(model, t);
        if (v.isDefined()) {
            throw new ArchiveException(l.file(), l.line("fixed-by"), "fixed-by " + fix.name() + " does not fix it: "
                    + "replaying the steps there breaks " + l.invariant().name() + " at step " + (index + 1) + ": "
                    + v.get().explanation(), "remove " + fix.name() + " from fixed-by, or fix the fix");
        }
        return t.after();
    }
}
