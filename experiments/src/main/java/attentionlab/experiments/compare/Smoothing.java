package attentionlab.experiments.compare;

/**
 * TensorBoard's scalar smoothing: an exponential moving average debiased like Adam's moments, so
 * the first points are not pulled towards 0.
 * <pre>
 *   last_t = w last_{t-1} + (1 - w) y_t,  last_0 = 0
 *   s_t    = last_t / (1 - w^t)            (t counts finite points)
 * </pre>
 * Non-finite values pass through unchanged and do not advance t; a constant series is returned as is.
 */
public final class Smoothing {

    private Smoothing() {}

    /**
     * @param weight w in [0, 1): 0 returns the values unchanged
     * @throws IllegalArgumentException if w is outside [0, 1)
     */
    public static double[] debiasedEma(double[] values, double weight) {
        if (!(weight >= 0 && weight < 1)) {
            throw new IllegalArgumentException("smoothing weight must be in [0, 1), got " + weight);
        }
        double[] out = values.clone();
        if (weight == 0 || isConstant(values)) {
            return out;
        }
        double last = 0;
        int count = 0;
        for (int i = 0; i < values.length; i++) {
            double y = values[i];
            if (!Double.isFinite(y)) {
                continue;
            }
            last = last * weight + (1 - weight) * y;
            count++;
            out[i] = last / (1 - Math.pow(weight, count));
        }
        return out;
    }

    private static boolean isConstant(double[] values) {
        for (double v : values) {
            if (Double.compare(v, values[0]) != 0) {
                return false;
            }
        }
        return true;
    }
}
