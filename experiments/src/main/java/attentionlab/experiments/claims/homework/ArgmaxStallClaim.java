package attentionlab.experiments.claims.homework;

import attentionlab.experiments.claims.Check;
import attentionlab.experiments.claims.Claim;
import attentionlab.experiments.claims.ClaimContext;
import attentionlab.experiments.claims.ClaimNotRunnable;
import attentionlab.experiments.claims.Training;
import attentionlab.experiments.compare.ComparisonSummary;
import attentionlab.experiments.compare.RunRecord;
import attentionlab.experiments.compare.SeedStats;
import attentionlab.experiments.io.Format;
import attentionlab.experiments.layout.MetricColumns;
import attentionlab.experiments.layout.RunKeys;
import attentionlab.experiments.layout.RunStatus;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Homework 2(b): argmax attention is piecewise constant, so no gradient reaches the queries and keys:
 * trained with it, W_q and W_k get exactly zero gradient at every step and never change, while W_v and
 * W_o learn; softmax, smooth, solves the task that argmax cannot (configs/argmax-stall.yaml,
 * associative recall, fused encoding).
 *
 * <p>Read from the run files: summary.json's max |grad| per parameter over every step and its list of
 * parameters bit-for-bit equal to their initial values; metrics.csv's logged gradient norms; final
 * validation accuracies.
 */
public final class ArgmaxStallClaim implements Claim<ArgmaxStallClaim.Measured> {

    public static final String CONFIG = "argmax-stall";
    /** Final validation accuracy at which a variant "solves" associative recall. */
    public static final double SOLVED = 0.9;
    /** How far below softmax argmax must stay for "cannot learn the lookup". */
    public static final double GAP = 0.3;

    /**
     * One variant over its seeds.
     *
     * @param statuses status per run
     * @param finalValAccuracy mean final val/accuracy over seeds
     * @param maxAbsGrad projection (W_q, W_k, W_v, W_o weights, all layers) -> max |grad| over every step of every run
     * @param maxLoggedGradNorm projection -> max logged gradient norm over every logged step of every run
     * @param unchanged projection -> whether every run reports all its layers' weights bit-for-bit unchanged
     */
    public record Variant(String name, List<RunStatus> statuses, double finalValAccuracy, double finalValAccuracyStd,
                          Map<String, Double> maxAbsGrad, Map<String, Double> maxLoggedGradNorm, Map<String, Boolean> unchanged) {}

    public record Measured(String experimentDir, double chance, Map<String, Variant> variants) {}

    @Override
    public String id() {
        return "argmax-stall";
    }

    @Override
    public String homeworkPart() {
        return "2(b)";
    }

    @Override
    public String prediction() {
        return "with argmax attention, grad W_q = grad W_k = 0 at every step and their weights never change, while W_v, W_o get"
                + " gradient; softmax solves the task, argmax does not";
    }

    @Override
    public String tolerance() {
        return "zero gradients and unchanged weights exact; softmax final validation accuracy >= 0.9; argmax at least 0.3 below softmax";
    }

    @Override
    public Measured measure(ClaimContext context) throws ClaimNotRunnable {
        List<RunRecord> runs = Training.run(context, CONFIG);
        Measured measured = fromRuns(runs);
        if (!runs.isEmpty()) {
            Training.compare(context, runs.get(0).dir().getParent(), List.of(MetricColumns.VAL_ACCURACY,
                    MetricColumns.gradNorm("*W_q_weight"), MetricColumns.gradNorm("*W_k_weight"),
                    MetricColumns.gradNorm("*W_v_weight"), MetricColumns.ATTN_TARGET + "*"));
        }
        measured.variants().values().forEach(v -> context.log(v.name() + ": final val accuracy " + Format.number(v.finalValAccuracy())
                + ", max |grad| " + v.maxAbsGrad() + ", unchanged " + v.unchanged()));
        return measured;
    }

    /** The measurement read from the runs of one experiment: each variant over its seeds, the task's chance level. */
    public static Measured fromRuns(List<RunRecord> runs) {
        Map<String, Variant> variants = new LinkedHashMap<>();
        Training.byVariant(runs).forEach((name, list) -> variants.put(name, variant(name, list)));
        return new Measured(Training.experimentDir(runs), Training.chance(runs), variants);
    }

    public static Variant variant(String name, List<RunRecord> runs) {
        List<RunStatus> statuses = runs.stream().map(RunRecord::status).toList();
        double[] acc = runs.stream().mapToDouble(r -> ComparisonSummary.finalValue(r, MetricColumns.VAL_ACCURACY)).toArray();
        Map<String, Double> maxAbs = new LinkedHashMap<>();
        Map<String, Double> maxLogged = new LinkedHashMap<>();
        Map<String, Boolean> unchanged = new LinkedHashMap<>();
        for (String w : List.of("W_q", "W_k", "W_v", "W_o")) {
            double abs = Double.NaN;
            double logged = Double.NaN;
            boolean allUnchanged = true;
            for (RunRecord r : runs) {
                JsonNode grads = r.summary() == null ? null : r.summary().get(RunKeys.MAX_ABS_GRAD);
                if (grads != null) {
                    for (Iterator<Map.Entry<String, JsonNode>> it = grads.fields(); it.hasNext(); ) {
                        Map.Entry<String, JsonNode> g = it.next();
                        if (isWeight(g.getKey(), w)) {
                            abs = max(abs, g.getValue().asDouble(Double.NaN));
                        }
                    }
                }
                for (String column : r.metrics().metrics()) {
                    if (MetricColumns.isGradNorm(column) && isWeight(column, w)) {
                        for (double v : r.metrics().series(column).values()) {
                            logged = max(logged, v);
                        }
                    }
                }
                List<String> same = new ArrayList<>();
                if (r.summary() != null && r.summary().has(RunKeys.UNCHANGED_PARAMETERS)) {
                    r.summary().get(RunKeys.UNCHANGED_PARAMETERS).forEach(n -> same.add(n.asText()));
                }
                List<String> weights = weightNames(r, w);
                allUnchanged &= !weights.isEmpty() && same.containsAll(weights);
            }
            maxAbs.put(w, abs);
            maxLogged.put(w, logged);
            unchanged.put(w, allUnchanged);
        }
        double[] finite = java.util.Arrays.stream(acc).filter(Double::isFinite).toArray();
        return new Variant(name, statuses, finite.length == acc.length ? SeedStats.mean(acc) : Double.NaN, SeedStats.std(finite), maxAbs,
                maxLogged, unchanged);
    }

    /** The run's parameter names of a projection's weight in every layer (from its max_abs_grad keys). */
    private static List<String> weightNames(RunRecord r, String projection) {
        List<String> names = new ArrayList<>();
        JsonNode grads = r.summary() == null ? null : r.summary().get(RunKeys.MAX_ABS_GRAD);
        if (grads != null) {
            grads.fieldNames().forEachRemaining(n -> {
                if (isWeight(n, projection)) {
                    names.add(n);
                }
            });
        }
        return names;
    }

    private static boolean isWeight(String name, String projection) {
        return name.contains(projection + "_weight");
    }

    /** max that lets NaN mean "nothing seen yet" but keeps a NaN value visible. */
    private static double max(double a, double b) {
        if (Double.isNaN(a)) {
            return b;
        }
        return Double.isNaN(b) ? b : Math.max(a, b);
    }

    @Override
    public List<Check> judge(Measured m) {
        List<Check> checks = new ArrayList<>();
        Variant argmax = m.variants().get("argmax");
        Variant softmax = m.variants().get("softmax");
        if (argmax == null || softmax == null) {
            checks.add(Check.that("variants softmax and argmax trained", "both", String.join(", ", m.variants().keySet()), false));
            return checks;
        }
        for (Variant v : List.of(softmax, argmax)) {
            checks.add(Check.completed(v.name() + ": every run completed", v.statuses()));
        }
        for (String w : List.of("W_q", "W_k")) {
            double abs = argmax.maxAbsGrad().get(w);
            checks.add(Check.that("argmax: max |grad " + w + "| over every step", "0", Format.number(abs), abs == 0));
            double logged = argmax.maxLoggedGradNorm().get(w);
            checks.add(Check.that("argmax: logged ||grad " + w + "|| at every logged step", "0", Format.number(logged), logged == 0));
            checks.add(Check.that("argmax: " + w + " weights bit-for-bit equal to their initial values", "unchanged",
                    argmax.unchanged().get(w) ? "unchanged" : "changed", argmax.unchanged().get(w)));
        }
        for (String w : List.of("W_v", "W_o")) {
            checks.add(Check.above("argmax: max |grad " + w + "| over every step", "> 0", argmax.maxAbsGrad().get(w), 0));
        }
        checks.add(Check.atLeast("softmax: final validation accuracy (mean over seeds)", "solves", softmax.finalValAccuracy(), SOLVED, ""));
        checks.add(Check.atMost("argmax: final validation accuracy (chance " + Format.number(m.chance()) + ")", "does not solve",
                argmax.finalValAccuracy(), softmax.finalValAccuracy() - GAP, "softmax - " + GAP));
        return checks;
    }
}
