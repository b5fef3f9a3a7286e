package attentionlab.experiments.compare;

import attentionlab.experiments.layout.MetricColumns;
import attentionlab.experiments.layout.RunKeys;
import attentionlab.experiments.layout.RunStatus;
import attentionlab.experiments.plot.Charts;
import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * One metric's figure: per group every seed as a thin line, the mean over the seeds present at each
 * step with its band, "n=k" where the number of seeds drops, and a cross where a run ended early
 * (diverged, failed, interrupted). Gradient norms use a log axis; their exact zeros (argmax's W_q/W_k)
 * are drawn on a floor the axis labels 0.
 */
public final class MetricPlot {

    private MetricPlot() {}

    /** Metrics drawn on a logarithmic y axis. */
    public static boolean logScale(String metric) {
        return MetricColumns.isGradNorm(metric);
    }

    /** The figure's curves: one per group with at least one finite point, and the floor for zeros on a log axis. */
    record Data(List<RunGroup> groups, List<GroupCurve> curves, double floor, boolean zeros) {}

    /** The curves of a metric, or null when no group has a finite point for it. */
    static Data data(String metric, List<RunGroup> groups, double smooth, Band band) {
        boolean log = logScale(metric);
        List<RunGroup> drawn = new ArrayList<>();
        List<GroupCurve> curves = new ArrayList<>();
        for (RunGroup g : groups) {
            GroupCurve c = g.curve(metric, smooth, band, log);
            if (!c.isEmpty()) {
                drawn.add(g);
                curves.add(c);
            }
        }
        if (curves.isEmpty()) {
            return null;
        }
        List<double[]> drawnValues = new ArrayList<>();
        curves.forEach(c -> drawnValues.addAll(List.of(c.mean(), c.lower(), c.upper())));
        drawn.forEach(g -> g.series(metric, smooth).forEach(s -> drawnValues.add(s.finite().values())));
        double smallest = drawnValues.stream().flatMapToDouble(java.util.Arrays::stream).filter(v -> v > 0).min()
                .orElse(Double.POSITIVE_INFINITY);
        boolean zeros = drawnValues.stream().flatMapToDouble(java.util.Arrays::stream).anyMatch(v -> v <= 0);
        return new Data(drawn, curves, log ? Charts.logFloor(smallest) : Double.NaN, log && zeros);
    }

    /**
     * @return the chart, or null when no group has a finite point for this metric
     */
    public static XYChart chart(String metric, List<RunGroup> groups, double smooth, Band band) {
        Data data = data(metric, groups, smooth, band);
        if (data == null) {
            return null;
        }
        String notes = (smooth > 0 ? "smoothed (TensorBoard EMA, w=" + smooth + "); " : "")
                + "thin lines: seeds; band: " + band.label() + "; x: run ended early";
        XYChart chart = Charts.lineChart(metric, "step    [" + notes + "]", metric);
        double floor = data.floor();
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < data.curves().size(); i++) {
            GroupCurve c = data.curves().get(i);
            RunGroup g = data.groups().get(i);
            Color color = Charts.color(i);
            if (c.runs() > 1) {
                seeds(chart, g, metric, smooth, floor, color);
                Charts.band(chart, c.label() + " band", c.steps(), atLeast(c.lower(), floor), atLeast(c.upper(), floor), color);
            }
            Charts.line(chart, legend(c), c.steps(), atLeast(c.mean(), floor), color);
            if (c.steps().length == 1) {
                Charts.points(chart, c.label() + " (one point)", c.steps(), atLeast(c.mean(), floor), color);
            }
            countDrops(chart, c, floor);
            endedEarly(chart, g, metric, smooth, floor, color);
            xMin = Math.min(xMin, c.steps()[0]);
            xMax = Math.max(xMax, c.steps()[c.steps().length - 1]);
        }
        if (!Double.isNaN(floor)) {
            chart.getStyler().setYAxisLogarithmic(true);
            if (data.zeros()) {
                Charts.zeroFloor(chart, floor, xMin, xMax);
            }
        }
        addChance(chart, metric, groups, xMin, xMax);
        return chart;
    }

    private static String legend(GroupCurve c) {
        if (c.runs() == 1) {
            return c.label();
        }
        int least = java.util.Arrays.stream(c.n()).min().orElse(c.runs());
        return c.label() + " (mean of " + c.runs() + " seeds" + (least < c.runs() ? ", n shown where fewer" : "") + ")";
    }

    /** Every run of the group as a thin line of the group's colour. */
    private static void seeds(XYChart chart, RunGroup g, String metric, double smooth, double floor, Color color) {
        List<Series> series = g.series(metric, smooth);
        for (int r = 0; r < series.size(); r++) {
            Series s = series.get(r).finite();
            if (!s.isEmpty()) {
                Charts.thinLine(chart, g.label() + " s" + g.runs().get(r).seed(), s.steps(), atLeast(s.values(), floor), color);
            }
        }
    }

    /** "n=k" at each step where the number of seeds in the mean changes. */
    private static void countDrops(XYChart chart, GroupCurve c, double floor) {
        for (int i : c.nChanges()) {
            Charts.note(chart, "n=" + c.n()[i], c.steps()[i], Math.max(c.mean()[i], Double.isNaN(floor) ? c.mean()[i] : floor));
        }
    }

    /** A cross at the last point of every run that ended early, one legend entry per status: "softmax: diverged s1 @ 14". */
    private static void endedEarly(XYChart chart, RunGroup g, String metric, double smooth, double floor, Color color) {
        Map<RunStatus, List<double[]>> points = new LinkedHashMap<>();
        Map<RunStatus, List<String>> names = new LinkedHashMap<>();
        List<Series> series = g.series(metric, smooth);
        for (int r = 0; r < series.size(); r++) {
            RunRecord run = g.runs().get(r);
            Series s = series.get(r).finite();
            if (run.endedEarly() && !s.isEmpty()) {
                double step = s.steps()[s.size() - 1];
                points.computeIfAbsent(run.status(), k -> new ArrayList<>()).add(new double[] {step, s.values()[s.size() - 1]});
                names.computeIfAbsent(run.status(), k -> new ArrayList<>())
                        .add("s" + run.seed() + " @ " + String.format(Locale.ROOT, "%.0f", run.lastStep()));
            }
        }
        points.forEach((status, at) -> Charts.markers(chart, g.label() + ": " + status + " " + String.join(", ", names.get(status)),
                at.stream().mapToDouble(p -> p[0]).toArray(), atLeast(at.stream().mapToDouble(p -> p[1]).toArray(), floor),
                color.darker(), SeriesMarkers.CROSS));
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
                    Charts.dashed(chart, "chance (" + String.format(Locale.ROOT, "%.3g", chance) + ")",
                            new double[] {xMin, Math.max(xMax, xMin + 1)}, new double[] {chance, chance}, Color.DARK_GRAY);
                    return;
                }
            }
        }
    }

    /** Values raised to the floor (log axis: exact zeros drawn on it); unchanged when there is no floor. */
    private static double[] atLeast(double[] values, double floor) {
        if (Double.isNaN(floor)) {
            return values;
        }
        double[] out = values.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.max(out[i], floor);
        }
        return out;
    }
}
