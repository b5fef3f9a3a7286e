package attentionlab.experiments.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Median and spread of repeated measurements (seconds, bytes, ...).
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
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return new RepeatStats(median, sorted[0], sorted[n - 1], median == 0 ? 0 : (sorted[n - 1] - sorted[0]) / median, n);
    }

    /**
     * Runs {@code action} {@code warmup} times untimed, then {@code repeats} times timed.
     *
     * @return wall-clock seconds per call
     */
    public static RepeatStats time(int warmup, int repeats, Runnable action) {
        return interleaved(warmup, repeats, List.of(action)).get(0);
    }

    /**
     * Times several actions round-robin (A B C A B C ...) so that a change in machine load during the
     * measurement hits all of them alike, and their ratios stay meaningful on a shared machine.
     *
     * @return wall-clock seconds per call, one {@link RepeatStats} per action, in order
     */
    public static List<RepeatStats> interleaved(int warmup, int repeats, List<Runnable> actions) {
        List<RepeatStats> out = new ArrayList<>();
        for (double[] s : roundRobin(warmup, repeats, actions)) {
            out.add(of(s));
        }
        return out;
    }

    /**
     * The raw seconds of {@link #interleaved}: [action][repeat]. Entries with the same repeat index were
     * measured back to back, so their ratio is a paired comparison.
     */
    public static double[][] roundRobin(int warmup, int repeats, List<Runnable> actions) {
        for (int i = 0; i < warmup; i++) {
            actions.forEach(Runnable::run);
        }
        double[][] seconds = new double[actions.size()][repeats];
        for (int i = 0; i < repeats; i++) {
            for (int a = 0; a < actions.size(); a++) {
                long start = System.nanoTime();
                actions.get(a).run();
                seconds[a][i] = (System.nanoTime() - start) / 1e9;
            }
        }
        return seconds;
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
