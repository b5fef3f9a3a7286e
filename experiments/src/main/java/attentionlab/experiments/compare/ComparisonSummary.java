package attentionlab.experiments.compare;

import attentionlab.experiments.io.Format;
import attentionlab.experiments.layout.MetricColumns;
import attentionlab.experiments.layout.RunKeys;
import attentionlab.experiments.layout.RunStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * summary.md of a comparison. Final values are reported per status, never averaged across runs that
 * stopped at different steps: first the completed runs (with the runs left out and why), then one
 * table per other status. A run's final value of a metric is its last finite logged value, and the
 * table says at which step. Then the best values of completed runs and one line per run.
 */
public final class ComparisonSummary {

    /** The order of the per-status tables. */
    private static final List<RunStatus> STATUS_ORDER = List.of(RunStatus.COMPLETED, RunStatus.RUNNING, RunStatus.INTERRUPTED,
            RunStatus.DIVERGED, RunStatus.FAILED, RunStatus.UNKNOWN);

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

    public static String markdown(List<RunGroup> groups, CompareOptions options) {
        List<String> metrics = headlineMetrics(groups);
        StringBuilder md = new StringBuilder("# Comparison\n\n");
        long runCount = groups.stream().mapToLong(g -> g.runs().size()).sum();
        long dirs = groups.stream().flatMap(g -> g.runs().stream()).map(RunRecord::experimentDir).distinct().count();
        md.append(runCount).append(" runs in ").append(groups.size()).append(" groups from ").append(dirs)
                .append(dirs == 1 ? " experiment directory" : " experiment directories")
                .append(options.pool() ? " (variants of one experiment pooled across directories)" : "")
                .append(". Values: mean +- sample std over the runs in the row (n). A run's final value is its last finite")
                .append(" logged value, at the step shown. Plots: thin lines = seeds, band = ").append(options.band().label())
                .append(", x = run ended early, n = seeds in the mean where fewer than all")
                .append(options.smooth() > 0 ? ", TensorBoard smoothing w = " + options.smooth() + " (tables use raw values)" : "")
                .append(".\n\n");
        for (RunStatus status : STATUS_ORDER) {
            finalTable(md, groups, metrics, status);
        }
        bestTable(md, groups, metrics);
        runsTable(md, groups, metrics);
        return md.toString();
    }

    private static List<String> headlineMetrics(List<RunGroup> groups) {
        List<String> metrics = new ArrayList<>();
        for (String m : MetricColumns.HEADLINE) {
            if (groups.stream().flatMap(g -> g.runs().stream()).anyMatch(r -> r.metrics().has(m))) {
                metrics.add(m);
            }
        }
        return metrics;
    }

    /** One status's table; the completed table lists every group (0 of n too) and names the runs it leaves out. */
    private static void finalTable(StringBuilder md, List<RunGroup> groups, List<String> metrics, RunStatus status) {
        boolean completed = status == RunStatus.COMPLETED;
        if (!completed && groups.stream().noneMatch(g -> g.runs().stream().anyMatch(r -> r.status() == status))) {
            return;
        }
        md.append("## Final values: ").append(status).append(" runs\n\n| group | n | step | steps/s |");
        metrics.forEach(m -> md.append(' ').append(m).append(" |"));
        md.append("\n|---|---|---|---|").append("---|".repeat(metrics.size())).append('\n');
        for (RunGroup g : groups) {
            List<RunRecord> runs = g.runs().stream().filter(r -> r.status() == status).toList();
            if (runs.isEmpty() && !completed) {
                continue;
            }
            md.append("| ").append(g.label()).append(" | ").append(runs.size()).append(" of ").append(g.runs().size()).append(" | ")
                    .append(runs.isEmpty() ? "-" : steps(runs.stream().map(RunRecord::lastStep).toList())).append(" | ")
                    .append(meanStd(runs.stream().mapToDouble(ComparisonSummary::stepsPerSecond).toArray())).append(" |");
            for (String m : metrics) {
                md.append(' ').append(finalCell(runs, m)).append(" |");
            }
            md.append('\n');
        }
        md.append('\n');
        if (completed) {
            excluded(md, groups);
        }
    }

    /** Mean +- std of the runs' last finite values; the steps they come from when not every run's last step. */
    private static String finalCell(List<RunRecord> runs, String metric) {
        double[] values = new double[runs.size()];
        List<Double> metricSteps = new ArrayList<>();
        boolean atLastStep = true;
        for (int i = 0; i < runs.size(); i++) {
            Series s = runs.get(i).metrics().series(metric).finite();
            values[i] = s.isEmpty() ? Double.NaN : s.values()[s.size() - 1];
            if (!s.isEmpty()) {
                double step = s.steps()[s.size() - 1];
                metricSteps.add(step);
                atLastStep &= step == runs.get(i).lastStep();
            }
        }
        String cell = meanStd(values);
        return atLastStep || metricSteps.isEmpty() ? cell : cell + " (step " + steps(metricSteps) + ")";
    }

    /** "Not in this table: softmax s1 (diverged at step 14: loss is NaN), ...". */
    private static void excluded(StringBuilder md, List<RunGroup> groups) {
        List<String> out = new ArrayList<>();
        for (RunGroup g : groups) {
            for (RunRecord r : g.runs()) {
                if (r.status() != RunStatus.COMPLETED) {
                    out.add(g.label() + " s" + r.seed() + " (" + r.status() + " at step " + Format.number(r.lastStep())
                            + (r.reason() == null ? "" : ": " + r.reason().replace("|", "/")) + ")");
                }
            }
        }
        if (!out.isEmpty()) {
            md.append("Not in this table, since they did not complete: ").append(String.join(", ", out))
                    .append(". Their values are in the tables below, at the step each stopped.\n\n");
        }
    }

    private static void bestTable(StringBuilder md, List<RunGroup> groups, List<String> metrics) {
        md.append("## Best values of completed runs (lowest loss, highest accuracy)\n\n| group | n |");
        metrics.forEach(m -> md.append(' ').append(m).append(" |"));
        md.append("\n|---|---|").append("---|".repeat(metrics.size())).append('\n');
        for (RunGroup g : groups) {
            List<RunRecord> runs = g.runs().stream().filter(r -> r.status() == RunStatus.COMPLETED).toList();
            md.append("| ").append(g.label()).append(" | ").append(runs.size()).append(" of ").append(g.runs().size()).append(" |");
            for (String m : metrics) {
                md.append(' ').append(meanStd(runs.stream().mapToDouble(r -> bestValue(r, m)).toArray())).append(" |");
            }
            md.append('\n');
        }
        md.append('\n');
    }

    private static void runsTable(StringBuilder md, List<RunGroup> groups, List<String> metrics) {
        md.append("## Runs\n\n| group | seed | status | last step | steps/s |");
        metrics.forEach(m -> md.append(" final ").append(m).append(" |"));
        md.append(" reason | directory |\n|---|---|---|---|---|").append("---|".repeat(metrics.size())).append("---|---|\n");
        for (RunGroup g : groups) {
            for (RunRecord r : g.runs()) {
                md.append("| ").append(g.label()).append(" | ").append(r.seed()).append(" | ").append(r.status()).append(" | ")
                        .append(number(r.lastStep())).append(" | ").append(number(stepsPerSecond(r))).append(" |");
                metrics.forEach(m -> md.append(' ').append(number(r.metrics().series(m).lastFinite())).append(" |"));
                md.append(' ').append(r.reason() == null ? "" : r.reason().replace("|", "/")).append(" | ")
                        .append(r.dir().toAbsolutePath().normalize()).append(" |\n");
            }
        }
    }

    /** Distinct steps, as "200" or "14, 117". */
    private static String steps(List<Double> steps) {
        Set<String> distinct = new LinkedHashSet<>();
        steps.stream().sorted().forEach(s -> distinct.add(number(s)));
        return distinct.stream().collect(Collectors.joining(", "));
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
