package attentionlab.experiments.compare;

import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;

/**
 * One variant's curve for one metric: at every step that at least one of its runs logged with a
 * finite value, the mean over the runs present at that step and a band over them (min-max, or mean
 * +- sample std), with n, the number of runs present. A run that diverged or stopped early leaves the
 * mean from its last step on: n drops there instead of the whole curve being cut to the steps every
 * run reached.
 *
 * <p>On a log axis a std band whose lower edge mean - std is not positive cannot be drawn; its lower
 * edge is then the lowest run at that step, so that the band never reaches the exact-zero floor
 * unless a run is exactly zero.
 *
 * @param n runs with a finite value at each step
 * @param runs number of runs (seeds) in the group
 */
public record GroupCurve(String label, double[] steps, double[] mean, double[] lower, double[] upper, int[] n, int runs) {

    /**
     * @param series one series per run (already smoothed if smoothing is on)
     */
    public static GroupCurve of(String label, List<Series> series, Band band) {
        return of(label, series, band, false);
    }

    /**
     * @param logScale whether the curve goes on a log axis (see the class comment)
     */
    public static GroupCurve of(String label, List<Series> series, Band band, boolean logScale) {
        List<Series> finite = series.stream().map(Series::finite).toList();
        TreeSet<Double> all = new TreeSet<>();
        finite.forEach(s -> Arrays.stream(s.steps()).forEach(all::add));
        int size = all.size();
        double[] x = new double[size];
        double[] mean = new double[size];
        double[] lower = new double[size];
        double[] upper = new double[size];
        int[] n = new int[size];
        int i = 0;
        for (double step : all) {
            DescriptiveStatistics at = new DescriptiveStatistics();
            for (Series s : finite) {
                int k = Arrays.binarySearch(s.steps(), step);
                if (k >= 0) {
                    at.addValue(s.values()[k]);
                }
            }
            x[i] = step;
            n[i] = (int) at.getN();
            mean[i] = at.getMean();
            if (band == Band.MINMAX) {
                lower[i] = at.getMin();
                upper[i] = at.getMax();
            } else {
                double sd = SeedStats.std(at.getValues());
                lower[i] = logScale && mean[i] - sd <= 0 ? at.getMin() : mean[i] - sd;
                upper[i] = mean[i] + sd;
            }
            i++;
        }
        return new GroupCurve(label, x, mean, lower, upper, n, series.size());
    }

    public boolean isEmpty() {
        return steps.length == 0;
    }

    /** The indices where n changes from the step before (where a run leaves or joins the mean). */
    public int[] nChanges() {
        return java.util.stream.IntStream.range(1, n.length).filter(i -> n[i] != n[i - 1]).toArray();
    }
}
