package attentionlab.experiments.compare;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * One variant's curve for one metric: at every step that all its runs logged with a finite value,
 * the mean over runs and a band (min-max or mean +- sample std).
 *
 * @param runs number of runs (seeds) averaged
 */
public record GroupCurve(String label, double[] steps, double[] mean, double[] lower, double[] upper, int runs) {

    /**
     * @param series one series per run (already smoothed if smoothing is on)
     */
    public static GroupCurve of(String label, List<Series> series, Band band) {
        List<Series> finite = series.stream().map(Series::finite).toList();
        TreeSet<Double> common = null;
        for (Series s : finite) {
            TreeSet<Double> steps = new TreeSet<>();
            for (double x : s.steps()) {
                steps.add(x);
            }
            if (common == null) {
                common = steps;
            } else {
                common.retainAll(steps);
            }
        }
        List<Double> steps = common == null ? List.of() : new ArrayList<>(common);
        int n = steps.size();
        double[] x = new double[n];
        double[] mean = new double[n];
        double[] lower = new double[n];
        double[] upper = new double[n];
        for (int i = 0; i < n; i++) {
            double step = steps.get(i);
            double[] at = new double[finite.size()];
            for (int r = 0; r < finite.size(); r++) {
                Series s = finite.get(r);
                at[r] = s.values()[Arrays.binarySearch(s.steps(), step)];
            }
            x[i] = step;
            mean[i] = SeedStats.mean(at);
            if (band == Band.MINMAX) {
                lower[i] = Arrays.stream(at).min().orElse(Double.NaN);
                upper[i] = Arrays.stream(at).max().orElse(Double.NaN);
            } else {
                double sd = SeedStats.std(at);
                lower[i] = mean[i] - sd;
                upper[i] = mean[i] + sd;
            }
        }
        return new GroupCurve(label, x, mean, lower, upper, series.size());
    }

    public boolean isEmpty() {
        return steps.length == 0;
    }
}
