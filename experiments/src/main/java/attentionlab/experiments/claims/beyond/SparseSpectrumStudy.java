package attentionlab.experiments.claims.beyond;

import attentionlab.experiments.claims.ClaimContext;
import attentionlab.experiments.claims.Study;
import attentionlab.experiments.claims.Training;
import attentionlab.experiments.compare.ComparisonSummary;
import attentionlab.experiments.compare.MetricsTable;
import attentionlab.experiments.compare.RunRecord;
import attentionlab.experiments.compare.SeedStats;
import attentionlab.experiments.compare.Series;
import attentionlab.experiments.io.Format;
import attentionlab.experiments.layout.MetricColumns;
import attentionlab.experiments.layout.RunKeys;
import attentionlab.experiments.layout.RunLayout;
import attentionlab.experiments.maps.AttentionFigures;
import attentionlab.experiments.maps.AttentionSnapshots;
import attentionlab.experiments.maps.Snapshot;
import attentionlab.experiments.plot.Charts;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Between softmax (dense, trainable) and argmax (one-hot, no gradient to W_q, W_k): do sparse kernels
 * (sparsemax, 1.5-entmax) put exact zeros on most keys and still learn? configs/sparse-spectrum.yaml
 * trains the argmax-stall task with softmax, entmax15, sparsemax, argmax-st and argmax; per run:
 * <ul>
 *   <li>from the saved attention snapshots (every layer, head, query and key of the first validation
 *       examples): the fraction of weights exactly 0 at initialisation and at the end, the fraction of
 *       rows on a single key at the end, and of rows whose top key changed since initialisation;</li>
 *   <li>||grad W_q||, ||grad W_k|| over training from metrics.csv: mean over the logged steps, mean over
 *       the last quarter of them, and the fraction of logged steps at which both are exactly 0;</li>
 *   <li>the final validation accuracy and the attention the best head puts on the matching key (final
 *       evaluation, every validation example).</li>
 * </ul>
 */
public final class SparseSpectrumStudy implements Study<SparseSpectrumStudy.Measured> {

    public static final String CONFIG = "sparse-spectrum";
    /** The "late" gradient mean averages the logged steps after this fraction of the last one (the last quarter). */
    static final double LATE_FRACTION = 0.75;

    /**
     * One run. Attention figures come from its saved snapshots (every layer, head and query of the
     * first validation examples), at step 0 and at the last saved step.
     *
     * @param keys M, keys per row: one key per row is 1 - 1/M exact zeros
     * @param zerosAtStart fraction of saved attention weights exactly 0 at step 0
     * @param zerosAtEnd the same at the last saved step
     * @param oneKeyRows fraction of saved rows at the end with exactly one non-zero weight (no gradient to the scores)
     * @param topKeyChanged fraction of saved rows whose largest-weight key differs between step 0 and the end
     * @param onTarget the largest final attn_target over layers and heads (every validation example)
     * @param zeroGradSteps fraction of logged steps with ||grad W_q|| = ||grad W_k|| = 0 exactly
     */
    public record Run(long seed, String status, int keys, double zerosAtStart, double zerosAtEnd, double oneKeyRows,
                      double topKeyChanged, double finalValAccuracy, double onTarget, Gradient gradWq, Gradient gradWk,
                      double zeroGradSteps) {}

    /**
     * A projection's gradient norm over training (root of the sum of squares over layers at each logged step).
     *
     * @param mean mean over the logged steps
     * @param late mean over the logged steps after {@link #LATE_FRACTION} of the last one
     * @param zeroSteps fraction of logged steps at which it is exactly 0
     */
    public record Gradient(double mean, double late, double zeroSteps) {}

    /** One kernel: its runs and the means over them. */
    public record Kernel(String name, List<Run> runs, double zerosAtStart, double zerosAtEnd, double oneKeyRows,
                         double topKeyChanged, double finalValAccuracy, double onTarget, double meanGradWq, double lateGradWq,
                         double meanGradWk, double zeroGradSteps) {}

    public record Measured(String experimentDir, boolean quick, int steps, double chance, List<Kernel> kernels) {}

    @Override
    public String id() {
        return "sparse-spectrum";
    }

    @Override
    public String title() {
        return "Between softmax and argmax: sparse attention that still learns";
    }

    @Override
    public String question() {
        return "On the argmax-stall task, how many attention weights are exactly 0 with softmax, entmax15, sparsemax, argmax-st"
                + " and argmax, how much gradient reaches W_q and W_k during training, and which kernels learn the lookup?";
    }

    @Override
    public Measured measure(ClaimContext context) throws Exception {
        List<RunRecord> runs = Training.run(context, CONFIG);
        Map<String, List<RunRecord>> byKernel = Training.byVariant(runs);
        List<Kernel> kernels = new ArrayList<>();
        byKernel.forEach((name, list) -> kernels.add(kernel(name, list.stream().map(SparseSpectrumStudy::measureRun).toList())));
        kernels.forEach(k -> context.log(line(k)));
        double chance = Training.chance(runs);
        int steps = runs.stream().mapToInt(r -> (int) r.summaryValue(null, RunKeys.STEPS_COMPLETED)).max().orElse(0);
        if (!runs.isEmpty()) {
            context.figure(spectrumChart(kernels), "sparsity-vs-accuracy");
            Training.compare(context, runs.get(0).dir().getParent(), List.of(MetricColumns.VAL_ACCURACY,
                    MetricColumns.gradNorm("*W_q_weight"), MetricColumns.gradNorm("*W_k_weight")));
            for (List<RunRecord> list : byKernel.values()) { // one example per kernel: its first seed, initial and final maps
                RunRecord first = list.get(0);
                AttentionFigures.initialAndFinal(first.dir(), 0, context.reportDir().resolve("figures"),
                        id() + "-attention-" + first.variant()).forEach(context::evidence);
            }
        }
        return new Measured(Training.experimentDir(runs), context.quick(), steps, chance,
                kernels);
    }

    /** Everything measured of one run, from its files. */
    static Run measureRun(RunRecord r) {
        RunLayout layout = new RunLayout(r.dir());
        List<Integer> saved = AttentionSnapshots.steps(layout);
        if (saved.isEmpty()) {
            throw new IllegalStateException(r.dir() + " saved no attention snapshots");
        }
        Snapshot start = AttentionSnapshots.read(layout, saved.get(0));
        Snapshot end = AttentionSnapshots.read(layout, saved.get(saved.size() - 1));
        Series wq = projectionNorm(r.metrics(), "W_q");
        Series wk = projectionNorm(r.metrics(), "W_k");
        return new Run(r.seed(), r.status().toString(), end.keys(), start.exactZeroFraction(), end.exactZeroFraction(),
                end.oneKeyRowFraction(), start.topKeyChangedFraction(end), ComparisonSummary.finalValue(r, MetricColumns.VAL_ACCURACY),
                bestHeadOnTarget(r.metrics()), gradient(wq), gradient(wk), bothZero(wq, wk));
    }

    /**
     * ||grad W|| of a projection ({@code W_q}, {@code W_k}) at each logged step: the root of the sum of
     * squares of its weight's norm over layers (the columns {@code grad_norm/...<projection>_weight}).
     */
    static Series projectionNorm(MetricsTable metrics, String projection) {
        List<Series> layers = metrics.metrics().stream()
                .filter(c -> MetricColumns.isGradNorm(c) && c.endsWith(projection + "_weight")).map(metrics::series).toList();
        if (layers.isEmpty()) {
            return new Series(new double[0], new double[0]);
        }
        double[] steps = layers.get(0).steps();
        double[] norm = new double[steps.length];
        for (Series s : layers) {
            for (int i = 0; i < steps.length; i++) {
                norm[i] += s.values()[i] * s.values()[i];
            }
        }
        for (int i = 0; i < steps.length; i++) {
            norm[i] = Math.sqrt(norm[i]);
        }
        return new Series(steps, norm);
    }

    static Gradient gradient(Series norm) {
        if (norm.isEmpty()) {
            return new Gradient(Double.NaN, Double.NaN, Double.NaN);
        }
        double last = norm.steps()[norm.size() - 1];
        double sum = 0;
        double lateSum = 0;
        int late = 0;
        int zeros = 0;
        for (int i = 0; i < norm.size(); i++) {
            sum += norm.values()[i];
            zeros += norm.values()[i] == 0 ? 1 : 0;
            if (norm.steps()[i] > LATE_FRACTION * last) {
                lateSum += norm.values()[i];
                late++;
            }
        }
        return new Gradient(sum / norm.size(), late == 0 ? Double.NaN : lateSum / late, (double) zeros / norm.size());
    }

    /** The fraction of steps (logged in both) at which both norms are exactly 0. */
    static double bothZero(Series a, Series b) {
        if (a.size() != b.size() || a.isEmpty()) {
            return Double.NaN;
        }
        int zeros = 0;
        for (int i = 0; i < a.size(); i++) {
            zeros += a.values()[i] == 0 && b.values()[i] == 0 ? 1 : 0;
        }
        return (double) zeros / a.size();
    }

    /** The largest last-logged attention on the matching key over every layer and head; NaN without such columns. */
    static double bestHeadOnTarget(MetricsTable metrics) {
        return metrics.metrics().stream().filter(MetricColumns::isAttentionOnTarget)
                .mapToDouble(c -> metrics.series(c).lastFinite()).filter(Double::isFinite).max().orElse(Double.NaN);
    }

    static Kernel kernel(String name, List<Run> runs) {
        return new Kernel(name, runs, mean(runs, Run::zerosAtStart), mean(runs, Run::zerosAtEnd), mean(runs, Run::oneKeyRows),
                mean(runs, Run::topKeyChanged), mean(runs, Run::finalValAccuracy), mean(runs, Run::onTarget), mean(runs, r -> r.gradWq().mean()), mean(runs, r -> r.gradWq().late()),
                mean(runs, r -> r.gradWk().mean()), mean(runs, Run::zeroGradSteps));
    }

    private static double mean(List<Run> runs, ToDoubleFunction<Run> value) {
        return SeedStats.mean(runs.stream().mapToDouble(value).toArray());
    }

    /** Exact-zero fraction (x) against final validation accuracy (y): each seed a circle, each kernel's mean a diamond. */
    static XYChart spectrumChart(List<Kernel> kernels) {
        XYChart chart = Charts.lineChart("Sparsity against accuracy (argmax-stall task)",
                "attention weights exactly 0 at the end (fraction)", "final validation accuracy");
        chart.getStyler().setXAxisMin(-0.05).setXAxisMax(1.05).setYAxisMin(0.0).setYAxisMax(1.05).setMarkerSize(9);
        for (int k = 0; k < kernels.size(); k++) {
            Kernel kernel = kernels.get(k);
            double[] x = kernel.runs().stream().mapToDouble(Run::zerosAtEnd).toArray();
            double[] y = kernel.runs().stream().mapToDouble(Run::finalValAccuracy).toArray();
            Charts.points(chart, kernel.name() + " (seeds)", x, y, Charts.color(k));
            XYSeries mean = Charts.points(chart, kernel.name() + " (mean)", new double[] {kernel.zerosAtEnd()},
                    new double[] {kernel.finalValAccuracy()}, Charts.color(k));
            mean.setMarker(SeriesMarkers.DIAMOND);
        }
        int keys = kernels.get(0).runs().get(0).keys();
        double oneKey = 1 - 1.0 / keys;
        Charts.dashed(chart, "one key per row (1 - 1/" + keys + ")", new double[] {oneKey, oneKey}, new double[] {0, 1.05},
                java.awt.Color.GRAY);
        return chart;
    }

    private static String line(Kernel k) {
        return String.format(Locale.ROOT, "%s: %s exact zeros (%s at step 0), %s of rows on one key, accuracy %s, best head"
                        + " on the matching key %s, top key changed since step 0 in %s of rows, mean ||grad W_q|| %s (last quarter %s),"
                        + " ||grad W_k|| %s, steps with both exactly 0: %s",
                k.name(), percent(k.zerosAtEnd()), percent(k.zerosAtStart()), percent(k.oneKeyRows()), accuracy(k.finalValAccuracy()),
                accuracy(k.onTarget()), percent(k.topKeyChanged()), Format.number(k.meanGradWq()), Format.number(k.lateGradWq()),
                Format.number(k.meanGradWk()), percent(k.zeroGradSteps()));
    }

    @Override
    public String findings(Measured m) {
        if (m.kernels().isEmpty()) {
            return "no runs were trained; nothing to report";
        }
        int seeds = m.kernels().stream().mapToInt(k -> k.runs().size()).max().orElse(0);
        StringBuilder s = new StringBuilder("Measured on the argmax-stall task (" + m.steps() + " steps, " + seeds + " seed"
                + (seeds == 1 ? "" : "s, means over seeds") + (m.quick() ? "; quick mode: fewer seeds and steps than the full study" : "")
                + "; chance accuracy " + accuracy(m.chance()) + "; zeros, one-key rows and top-key changes over every attention row of the"
                + " first " + AttentionSnapshots.EXAMPLES + " validation examples, attention on the matching key over every validation"
                + " example). ");
        for (Kernel k : m.kernels()) {
            s.append(line(k)).append(". ");
        }
        return s.toString().trim();
    }

    static String percent(double fraction) {
        return Double.isFinite(fraction) ? String.format(Locale.ROOT, "%.1f%%", 100 * fraction) : "n/a";
    }

    static String accuracy(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3f", v) : "n/a";
    }
}
