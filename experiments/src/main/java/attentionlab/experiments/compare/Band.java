package attentionlab.experiments.compare;

/** What the shaded band around a group's mean curve shows, over the seeds of that group. */
public enum Band {
    /** From the lowest to the highest seed at each step. */
    MINMAX,
    /** Mean +- one (sample, n-1) standard deviation. */
    STD;

    public String label() {
        return this == MINMAX ? "min-max over seeds" : "+-1 std over seeds";
    }
}
