package attentionlab.experiments.compare;

import attentionlab.experiments.layout.MetricColumns;
import attentionlab.experiments.layout.RunKeys;
import attentionlab.experiments.plot.Charts;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;

/**
 * One metric's figure: per group the mean curve over seeds and its band. Gradient norms use a log
 * axis; their exact zeros (argmax's W_q/W_k) are drawn on a labelled floor line instead of vanishing.
 */
public final class MetricPlot {

    private MetricPlot() {}

    /** Metrics drawn on a logarithmic y axis. */
    public static boolean logScale(String metric) {
        return MetricColumns.isGradNorm(metric);
    }

    /**
     * @return the chart, or null when no group has a single common finite point for this metric
     */
    public static XYChart chart(String metric, List<RunGroup> groups, double smooth, Band band) {
        List<GroupCurve> curves = new ArrayList<>();
        for (RunGroup g : groups) {
            GroupCurve c = g.curve(metric, smooth, band);
            if (!c.isEmpty()) {
                curves.add(c);
            }
        }
        if (curves.isEmpty()) {
            return null;
        }
        String notes = (smooth > 0 ? "smoothed (TensorBoard EMA, w=" + smooth + ")" : "")
                + (curves.stream().anyMatch(c -> c.runs() > 1) ? (smooth > 0 ? "; " : "") + "band: " + band.label() : "");
        XYChart chart = Charts.lineChart(metric, notes.isEmpty() ? "step" : "step    [" + notes + "]", metric);
        boolean log = logScale(metric);
        double floor = log ? Charts.logFloor(smallestPositive(curves)) : Double.NaN;
        boolean zeros = false;
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < curves.size(); i++) {
            GroupCurve c = curves.get(i);
            Color color = Charts.color(i);
            double[] mean = c.mean();
            double[] lower = c.lower();
            double[] upper = c.upper();
            if (log) {
                zeros |= hasNonPositive(mean) || hasNonPositive(lower);
                mean = atLeast(mean, floor);
                lower = atLeast(lower, floor);
                upper = atLeast(upper, floor);
            }
            if (c.runs() > 1) {
                Charts.band(chart, c.label() + " band", c.steps(), lower, upper, color);
            }
            String name = c.label() + (c.runs() > 1 ? " (mean of " + c.runs() + " seeds)" : "");
            if (c.steps().length == 1) {
                Charts.points(chart, name, c.steps(), mean, color);
            } else {
                Charts.line(chart, name, c.steps(), mean, color);
            }
            xMin = Math.min(xMin, c.steps()[0]);
            xMax = Math.max(xMax, c.steps()[c.steps().length - 1]);
        }
        if (log) {
            chart.getStyler().setYAxisLogarithmic(true);
            if (zeros) {
                Charts.zeroFloor(chart, floor, xMin, xMax);
            }
        }
        addChance(chart, metric, groups, xMin, xMax);
        return chart;
    }

    /** A dashed "chance" line on accuracy plots when the runs report their task's chance accuracy. */
    private static void addChance(XYChart chart, String metric, List<RunGroup> groups, double xMin, double xMax) {
        if (!metric.endsWith("/accuracy")) {
            return;
        }
        for (RunGroup g : groups) {
            for (RunRecord r : g.runs()) {
                double chance = r.summaryValue(null, RunKeys.CHANCE_ACCURACY);
                if (Double.isFinite(chance)) {
                    Charts.dashed(chart, "chance (" + String.format(java.util.Locale.ROOT, "%.3g", chance) + ")",
                            new double[] {xMin, Math.max(xMax, xMin + 1)}, new double[] {chance, chance}, Color.DARK_GRAY);
                    return;
                }
            }
        }
    }

    private static double smallestPositive(List<GroupCurve> curves) {
        double min = Double.POSITIVE_INFINITY;
        for (GroupCurve c : curves) {
            for (double[] a : new double[][] {c.mean(), c.lower(), c.upper()}) {
                for (double v : a) {
                    if (v > 0 && v < min) {
                        min = v;
                    }
                }
            }
        }
        return min;
    }

    private static boolean hasNonPositive(double[] values) {
        for (double v : values) {
            if (v <= 0) {
                return true;
            }
        }
        return false;
    }

    private static double[] atLeast(double[] values, double floor) {
        double[] out = values.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.max(out[i], floor);
        }
        return out;
    }
}
