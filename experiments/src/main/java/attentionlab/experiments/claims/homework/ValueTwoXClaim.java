package attentionlab.experiments.claims.homework;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
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
import attentionlab.experiments.layout.RunStatus;
import attentionlab.models.attention.MultiHeadAttention;
import attentionlab.models.reference.ParameterNames;
import attentionlab.models.reference.Samples;
import attentionlab.models.stack.TransformerLayer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Homework 3(b): with W_v = Linear(d_model, 2 d_model), each head's values are 2 d_k wide and the
 * combined heads 2 d_model; W_o left at d_model inputs cannot take them (our block refuses at
 * initialization, naming W_o and both widths); the minimal fix W_o = Linear(2 d_model, d_model) works,
 * the residual still adds d_model-wide tensors, and the fixed model trains (configs/value-2x.yaml).
 */
public final class ValueTwoXClaim implements Claim<ValueTwoXClaim.Measured> {

    static final int MODEL_DIM = 64;
    static final int HEADS = 4;
    /** Final validation accuracy at which the fixed model counts as trained (the task is solved). */
    public static final double SOLVED = 0.9;
    /** The variant of configs/value-2x.yaml with value_dim = 2 d_model and the resized W_o. */
    public static final String TRAINED_VARIANT = "value-2x";

    /**
     * @param failureMessage the error raised for value_dim = 2 d_model with W_o declared for d_model (null if none)
     * @param headValueShape split_heads of the doubled values, [B,H,N,2 d_k]
     * @param valueWeightShape, outputWeightShape of the fixed block, [out, in]
     * @param layerOutputShape a transformer layer's output with the fixed block, [B,N,d_model]
     * @param training the runs of configs/value-2x.yaml
     */
    public record Measured(String failureMessage, long[] headValueShape, long[] valueWeightShape, long[] outputWeightShape,
                           long[] layerOutputShape, TrainingOutcome training) {}

    /**
     * @param variants variant -> statuses of its runs
     * @param finalValAccuracy variant -> mean final val/accuracy of its completed runs
     */
    public record TrainingOutcome(String experimentDir, double chance, Map<String, List<RunStatus>> variants,
                                  Map<String, Double> finalValAccuracy) {}

    @Override
    public String id() {
        return "value-2x";
    }

    @Override
    public String homeworkPart() {
        return "3(b)";
    }

    @Override
    public String prediction() {
        return "W_v = Linear(d_model, 2 d_model) makes per-head values 2 d_k and the combined output 2 d_model, which W_o ="
                + " Linear(d_model, d_model) cannot take; the minimal fix W_o = Linear(2 d_model, d_model) works, keeps the residual"
                + " d_model wide, and the model trains";
    }

    @Override
    public String tolerance() {
        return "shapes exact; the failure names W_o and both widths; the fixed model's final validation accuracy >= 0.9";
    }

    @Override
    public Measured measure(ClaimContext context) throws ClaimNotRunnable {
        int b = 2;
        int n = 5;
        String failure = null;
        long[] headValues;
        long[] wv;
        long[] wo;
        long[] layerOut;
        try (NDManager m = NDManager.newBaseManager()) {
            MultiHeadAttention broken = MultiHeadAttention.builder().setModelDim(MODEL_DIM).setHeads(HEADS)
                    .optValueDim(2 * MODEL_DIM).optOutputInputDim(MODEL_DIM).build();
            try {
                broken.initialize(m, DataType.FLOAT32, new Shape(b, n, MODEL_DIM));
            } catch (IllegalArgumentException e) {
                failure = e.getMessage();
            }
            MultiHeadAttention fixed = MultiHeadAttention.builder().setModelDim(MODEL_DIM).setHeads(HEADS).optValueDim(2 * MODEL_DIM).build();
            TransformerLayer layer = new TransformerLayer(fixed, 4 * MODEL_DIM);
            layer.initialize(m, DataType.FLOAT32, new Shape(b, n, MODEL_DIM));
            NDArray x = Samples.normal(m, 21, DataType.FLOAT32, b, n, MODEL_DIM); // [B,N,d_model]
            NDArray values = x.matMul(ParameterNames.find(fixed, "W_v_weight").getArray().transpose()); // [B,N,2 d_model]
            headValues = MultiHeadAttention.splitHeads(values, HEADS).getShape().getShape(); // [B,H,N,2 d_k]
            wv = ParameterNames.find(fixed, "W_v_weight").getArray().getShape().getShape();
            wo = ParameterNames.find(fixed, "W_o_weight").getArray().getShape().getShape();
            layerOut = layer.forward(new ParameterStore(m, false), new NDList(x), false).head().getShape().getShape();
        }
        context.log("unresized W_o: " + (failure == null ? "no error" : failure) + "; fixed W_v " + Arrays.toString(wv)
                + ", W_o " + Arrays.toString(wo) + ", layer output " + Arrays.toString(layerOut));
        TrainingOutcome training = train(context);
        return new Measured(failure, headValues, wv, wo, layerOut, training);
    }

    private static TrainingOutcome train(ClaimContext context) throws ClaimNotRunnable {
        List<RunRecord> runs = Training.run(context, "value-2x");
        if (!runs.isEmpty()) {
            Training.compare(context, runs.get(0).dir().getParent(), List.of(MetricColumns.TRAIN_LOSS, MetricColumns.VAL_ACCURACY));
        }
        return outcome(runs);
    }

    /** The training outcome read from the runs: statuses per variant, mean final val/accuracy of the runs that logged one. */
    public static TrainingOutcome outcome(List<RunRecord> runs) {
        Map<String, List<RunStatus>> statuses = new LinkedHashMap<>();
        Map<String, List<Double>> accuracies = new LinkedHashMap<>();
        for (RunRecord r : runs) {
            statuses.computeIfAbsent(r.variant(), k -> new ArrayList<>()).add(r.status());
            double acc = ComparisonSummary.finalValue(r, MetricColumns.VAL_ACCURACY);
            if (Double.isFinite(acc)) {
                accuracies.computeIfAbsent(r.variant(), k -> new ArrayList<>()).add(acc);
            }
        }
        Map<String, Double> means = new LinkedHashMap<>();
        accuracies.forEach((v, list) -> means.put(v, SeedStats.mean(list.stream().mapToDouble(Double::doubleValue).toArray())));
        return new TrainingOutcome(Training.experimentDir(runs), Training.chance(runs), statuses, means);
    }

    @Override
    public List<Check> judge(Measured m) {
        List<Check> checks = new ArrayList<>();
        String widths = MODEL_DIM + " and " + 2 * MODEL_DIM;
        boolean named = m.failureMessage() != null && m.failureMessage().contains("W_o")
                && m.failureMessage().contains(String.valueOf(MODEL_DIM)) && m.failureMessage().contains(String.valueOf(2 * MODEL_DIM));
        checks.add(Check.that("value_dim = 2 d_model with W_o declared for d_model inputs", "fails at initialization naming W_o, " + widths,
                m.failureMessage() == null ? "no error" : m.failureMessage(), named));
        long dk = MODEL_DIM / HEADS;
        long[] heads = {2, HEADS, 5, 2 * dk};
        checks.add(Check.that("per-head values [B,H,N,2 d_k]", Arrays.toString(heads), Arrays.toString(m.headValueShape()),
                Arrays.equals(heads, m.headValueShape())));
        long[] wv = {2 * MODEL_DIM, MODEL_DIM};
        long[] wo = {MODEL_DIM, 2 * MODEL_DIM};
        checks.add(Check.that("fixed W_v weight [out, in]", Arrays.toString(wv), Arrays.toString(m.valueWeightShape()),
                Arrays.equals(wv, m.valueWeightShape())));
        checks.add(Check.that("fixed W_o weight [out, in] = Linear(2 d_model, d_model)", Arrays.toString(wo),
                Arrays.toString(m.outputWeightShape()), Arrays.equals(wo, m.outputWeightShape())));
        long[] out = {2, 5, MODEL_DIM};
        checks.add(Check.that("layer output with the residual [B,N,d_model]", Arrays.toString(out), Arrays.toString(m.layerOutputShape()),
                Arrays.equals(out, m.layerOutputShape())));
        TrainingOutcome t = m.training();
        List<RunStatus> statuses = t.variants().get(TRAINED_VARIANT);
        if (statuses == null) {
            checks.add(Check.that("configs/value-2x.yaml trains variant '" + TRAINED_VARIANT + "'", "trained",
                    "variants: " + t.variants().keySet(), false));
        } else {
            checks.add(Check.completed("training '" + TRAINED_VARIANT + "' (W_v 64 -> 128, W_o 128 -> 64): every run completed",
                    statuses));
            double standard = t.finalValAccuracy().getOrDefault("standard", Double.NaN);
            checks.add(Check.atLeast("training '" + TRAINED_VARIANT + "': final validation accuracy (standard block: "
                    + Format.number(standard) + ", chance " + Format.number(t.chance())
                    + ")", "trains", t.finalValAccuracy().getOrDefault(TRAINED_VARIANT, Double.NaN), SOLVED, ""));
        }
        return checks;
    }
}
