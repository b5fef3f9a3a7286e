package attentionlab.experiments.claims;

import com.fasterxml.jackson.annotation.JsonValue;

/** The outcome of checking one claim against fresh measurements. */
public enum Verdict {
    /** Every check passed within its stated tolerance. */
    HOLDS("holds"),
    /** At least one check is outside its tolerance. */
    FAILS("fails"),
    /** The claim could not be measured (machinery missing or the measurement crashed): never counts as holding. */
    NOT_RUN("not-run");

    private final String label;

    Verdict(String label) {
        this.label = label;
    }

    @JsonValue
    public String label() {
        return label;
    }

    @Override
    public String toString() {
        return label;
    }
}
