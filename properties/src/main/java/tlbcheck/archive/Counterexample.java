package tlbcheck.archive;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import tlbcheck.model.step.Step;

/**
 * One archived counterexample, as it stands in its file: a header a reviewer reads first, the lanes,
 * the violation, and the steps that reproduce it.
 *
 * @param format the tlbcheck file format version
 * @param fixedBy variants under which the same steps must hold
 * @param source "hunt" (seeded random walk, shrunk) or "exhaustive" (a shortest trace)
 */
@JsonPropertyOrder({"tlbcheck", "variant", "row", "platform", "scope", "invariant", "invariantNo", "meaning", "seed",
        "source", "fixed-by", "lanes", "violated", "state", "steps"})
public record Counterexample(@JsonProperty("tlbcheck") int format, String variant, String row, String platform,
                             String scope, String invariant, int invariantNo, String meaning, String seed, String source,
                             @JsonProperty("fixed-by") List<String> fixedBy, String lanes, String violated, String state,
                             List<Step> steps) {

    public static final int FORMAT = 1;

    /** The file name: variant and invariant. */
    public String fileName() {
        return variant + "--" + invariantNo + "-" + invariant + ".yaml";
    }
}
