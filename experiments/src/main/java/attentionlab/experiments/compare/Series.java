package attentionlab.experiments.compare;

/**
 * One metric of one run: the logged steps and their values, in step order (only cells that were
 * logged; values may be non-finite when a run diverged).
 */
public record Series(double[] steps, double[] values) {

    public Series {
        if (steps.length != values.length) {
            throw new IllegalArgumentException("steps and values differ in length: " + steps.length + " vs " + values.length);
        }
    }

    public int size() {
        return steps.length;
    }

    public boolean isEmpty() {
        return steps.length == 0;
    }

    /** The same series without non-finite values (NaN, +-Infinity). */
    public Series finite() {
        int n = 0;
        for (double v : values) {
            if (Double.isFinite(v)) {
                n++;
            }
        }
        double[] s = new double[n];
        double[] v = new double[n];
        for (int i = 0, j = 0; i < values.length; i++) {
            if (Double.isFinite(values[i])) {
                s[j] = steps[i];
                v[j++] = values[i];
            }
        }
        return new Series(s, v);
    }

    /** The last finite value, or NaN if there is none. */
    public double lastFinite() {
        for (int i = values.length - 1; i >= 0; i--) {
            if (Double.isFinite(values[i])) {
                return values[i];
            }
        }
        return Double.NaN;
    }
}
