package attentionlab.experiments.compare;

/** Mean and sample standard deviation of small arrays (over seeds), NaN-propagating. */
public final class SeedStats {

    private SeedStats() {}

    public static double mean(double[] x) {
        if (x.length == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (double v : x) {
            sum += v;
        }
        return sum / x.length;
    }

    /** Sample standard deviation (divides by n - 1); 0 for a single value, NaN for none. */
    public static double std(double[] x) {
        if (x.length == 0) {
            return Double.NaN;
        }
        if (x.length == 1) {
            return 0;
        }
        double m = mean(x);
        double ss = 0;
        for (double v : x) {
            ss += (v - m) * (v - m);
        }
        return Math.sqrt(ss / (x.length - 1));
    }
}
