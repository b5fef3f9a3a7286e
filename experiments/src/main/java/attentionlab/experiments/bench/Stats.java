package attentionlab.experiments.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;

/**
 * Median and spread of repeated measurements (seconds, bytes, ...).
 *
 * @param median the middle value (mean of the two middle ones for an even count)
 * @param min smallest value
 * @param max largest value
 * @param relativeSpread (max - min) / median
 * @param count number of measurements
 */
public record Stats(double median, double min, double max,
                    @JsonProperty("relative_spread") double relativeSpread, int count) {

    public static Stats of(double... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no measurements");
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return new Stats(median, sorted[0], sorted[n - 1], median == 0 ? 0 : (sorted[n - 1] - sorted[0]) / median, n);
    }

    /**
     * Runs {@code action} {@code warmup} times untimed, then {@code repeats} times timed.
     *
     * @return wall-clock seconds per call
     */
    public static Stats time(int warmup, int repeats, Runnable action) {
        for (int i = 0; i < warmup; i++) {
            action.run();
        }
        double[] seconds = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long start = System.nanoTime();
            action.run();
            seconds[i] = (System.nanoTime() - start) / 1e9;
        }
        return of(seconds);
    }
}
