package attentionlab.experiments.compare;

import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;

/** Mean and sample standard deviation over seeds (commons-math3), NaN-propagating. */
public final class SeedStats {

    private SeedStats() {}

    /** The mean; NaN for no value. */
    public static double mean(double[] x) {
        return new DescriptiveStatistics(x).getMean();
    }

    /** Sample standard deviation (divides by n - 1); 0 for a single value, NaN for none. */
    public static double std(double[] x) {
        if (x.length == 1) {
            return Double.isNaN(x[0]) ? Double.NaN : 0;
        }
        return new DescriptiveStatistics(x).getStandardDeviation();
    }
}
