package attentionlab.experiments.layout;

import com.fasterxml.jackson.annotation.JsonValue;

/** The values of a run's {@code status} (meta.json, summary.json), written by training and read by everything else. */
public enum RunStatus {
    /** Training has started and not ended (or the process was killed). */
    RUNNING("running"),
    /** Every step of train.steps ran. */
    COMPLETED("completed"),
    /** The run could not start or broke; meta.json's reason says why. */
    FAILED("failed"),
    /** A loss or gradient became non-finite; the reason names it and the step. */
    DIVERGED("diverged"),
    /** Stopped on request (Ctrl-C) after a step, checkpointed: {@code lab resume} continues it. */
    INTERRUPTED("interrupted"),
    /** What a reader reports for a run recorded as running that no live process holds ({@link RunLock}): killed or crashed. */
    STOPPED("stopped (no live process)"),
    /** What a reader reports for a run directory without a (known) status. */
    UNKNOWN("unknown");

    private final String label;

    RunStatus(String label) {
        this.label = label;
    }

    /** The text in the files. */
    @JsonValue
    public String label() {
        return label;
    }

    /** The status written as {@code label}; {@link #UNKNOWN} for null or anything else. */
    public static RunStatus of(String label) {
        for (RunStatus s : values()) {
            if (s.label.equals(label)) {
                return s;
            }
        }
        return UNKNOWN;
    }

    @Override
    public String toString() {
        return label;
    }
}
