package attentionlab.experiments.compare;

import attentionlab.experiments.io.Format;
import attentionlab.experiments.layout.MetricColumns;
import attentionlab.experiments.layout.RunKeys;
import attentionlab.experiments.layout.RunStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * summary.md of a comparison: per variant the final and best value of each headline metric and the
 * training speed, as mean +- sample std over seeds; then one line per run.
 */
public final class ComparisonSummary {

    private ComparisonSummary() {}

    /** The final value of a metric in a run: summary.json's, else the last finite logged value. */
    public static double finalValue(RunRecord run, String metric) {
        double v = run.summaryValue(RunKeys.FINAL, metric);
        return Double.isFinite(v) ? v : run.metrics().series(metric).lastFinite();
    }

    /** The best value: summary.json's, else the minimum (losses) or maximum (everything else) logged. */
    public static double bestValue(RunRecord run, String metric) {
        double v = run.summaryValue(RunKeys.BEST, metric);
        if (Double.isFinite(v)) {
            return v;
        }
        double[] values = run.metrics().series(metric).finite().values();
        if (values.length == 0) {
            return Double.NaN;
        }
        return metric.contains("loss") ? Arrays.stream(values).min().getAsDouble() : Arrays.stream(values).max().getAsDouble();
    }

    /** Training speed: summary.json's steps_per_second, else last step / last wall time. */
    public static double stepsPerSecond(RunRecord run) {
        double v = run.summaryValue(null, RunKeys.STEPS_PER_SECOND);
        if (Double.isFinite(v)) {
            return v;
        }
        Series wall = run.metrics().series(MetricColumns.WALL_TIME).finite();
        if (wall.isEmpty() || !(wall.values()[wall.size() - 1] > 0)) {
            return Double.NaN;
        }
        return wall.steps()[wall.size() - 1] / wall.values()[wall.size() - 1];
    }

    /** Steps the run completed: summary.json's, else its last logged step. */
    public static double steps(RunRecord run) {
        double v = run.summaryValue(null, RunKeys.STEPS_COMPLETED);
        if (Double.isFinite(v)) {
            return v;
        }
        Series s = run.metrics().series(MetricColumns.STEP);
        return s.isEmpty() ? Double.NaN : s.steps()[s.size() - 1];
    }

    public static String markdown(List<RunGroup> groups, CompareOptions options) {
        List<String> metrics = new ArrayList<>();
        for (String m : MetricColumns.HEADLINE) {
            if (groups.stream().flatMap(g -> g.runs().stream()).anyMatch(r -> r.metrics().has(m))) {
                metrics.add(m);
            }
        }
        StringBuilder md = new StringBuilder("# Comparison\n\n");
        long runCount = groups.stream().mapToLong(g -> g.runs().size()).sum();
        md.append(runCount).append(" runs in ").append(groups.size()).append(" variants. Values: mean +- sample std over seeds")
                .append(" (n = number of seeds). Plots: band = ").append(options.band().label())
                .append(options.smooth() > 0 ? ", TensorBoard smoothing w = " + options.smooth() + " (tables use raw values)" : "")
                .append(".\n\n");
        table(md, "Final values", groups, metrics, ComparisonSummary::finalValue, true);
        table(md, "Best values (lowest loss, highest accuracy)", groups, metrics, ComparisonSummary::bestValue, false);
        md.append("## Runs\n\n| variant | seed | status | steps | steps/s |");
        metrics.forEach(m -> md.append(" final ").append(m).append(" |"));
        md.append(" directory |\n|---|---|---|---|---|");
        metrics.forEach(m -> md.append("---|"));
        md.append("---|\n");
        for (RunGroup g : groups) {
            for (RunRecord r : g.runs()) {
                md.append("| ").append(g.label()).append(" | ").append(r.seed()).append(" | ").append(r.status()).append(" | ")
                        .append(number(steps(r))).append(" | ").append(number(stepsPerSecond(r))).append(" |");
                metrics.forEach(m -> md.append(' ').append(number(finalValue(r, m))).append(" |"));
                md.append(' ').append(r.dir().toAbsolutePath().normalize()).append(" |\n");
            }
        }
        return md.toString();
    }

    private interface RunValue {
        double of(RunRecord run, String metric);
    }

    private static void table(StringBuilder md, String title, List<RunGroup> groups, List<String> metrics, RunValue value,
                              boolean withSpeed) {
        md.append("## ").append(title).append("\n\n| variant | n |");
        if (withSpeed) {
            md.append(" status | steps/s |");
        }
        metrics.forEach(m -> md.append(' ').append(m).append(" |"));
        md.append("\n|---|---|").append(withSpeed ? "---|---|" : "");
        metrics.forEach(m -> md.append("---|"));
        md.append('\n');
        for (RunGroup g : groups) {
            md.append("| ").append(g.label()).append(" | ").append(g.runs().size()).append(" |");
            if (withSpeed) {
                md.append(' ').append(statusCounts(g)).append(" | ")
                        .append(meanStd(g.runs().stream().mapToDouble(ComparisonSummary::stepsPerSecond).toArray())).append(" |");
            }
            for (String m : metrics) {
                md.append(' ').append(meanStd(g.runs().stream().mapToDouble(r -> value.of(r, m)).toArray())).append(" |");
            }
            md.append('\n');
        }
        md.append('\n');
    }

    private static String statusCounts(RunGroup g) {
        Map<RunStatus, Integer> counts = new LinkedHashMap<>();
        g.runs().forEach(r -> counts.merge(r.status(), 1, Integer::sum));
        List<String> parts = new ArrayList<>();
        counts.forEach((status, n) -> parts.add(n + " " + status));
        return String.join(", ", parts);
    }

    /** "mean +- std" over the finite values; "n/a" if none; a single value as is. */
    public static String meanStd(double[] values) {
        double[] finite = Arrays.stream(values).filter(Double::isFinite).toArray();
        if (finite.length == 0) {
            return "n/a";
        }
        String s = number(SeedStats.mean(finite)) + (finite.length > 1 ? " +- " + number(SeedStats.std(finite)) : "");
        return finite.length < values.length ? s + " (" + finite.length + " of " + values.length + ")" : s;
    }

    public static String number(double v) {
        return Format.number(v);
    }
}
