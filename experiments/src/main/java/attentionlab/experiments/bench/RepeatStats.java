package attentionlab.experiments.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;

/**
 * Median and spread of repeated measurements (seconds per call over rounds, per-round ratios, ...), by
 * commons-math3's {@link DescriptiveStatistics}.
 *
 * @param median the middle value (mean of the two middle ones for an even count)
 * @param min smallest value
 * @param max largest value
 * @param relativeSpread (max - min) / median
 * @param count number of measurements
 */
public record RepeatStats(double median, double min, double max,
                    @JsonProperty("relative_spread") double relativeSpread, int count) {

    public static RepeatStats of(double... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no measurements");
        }
        DescriptiveStatistics s = new DescriptiveStatistics(values);
        double median = s.getPercentile(50);
        return new RepeatStats(median, s.getMin(), s.getMax(), median == 0 ? 0 : (s.getMax() - s.getMin()) / median, values.length);
    }

    /** Ratio a[i] / b[i] of paired measurements, summarised. */
    public static RepeatStats pairedRatio(double[] a, double[] b) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i] / b[i];
        }
        return of(r);
    }
}
