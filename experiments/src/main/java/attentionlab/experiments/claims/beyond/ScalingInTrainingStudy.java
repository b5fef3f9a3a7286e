package attentionlab.experiments.claims.beyond;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import attentionlab.experiments.claims.ClaimContext;
import attentionlab.experiments.claims.ClaimNotRunnable;
import attentionlab.experiments.claims.Study;
import attentionlab.experiments.claims.Training;
import attentionlab.experiments.compare.ComparisonSummary;
import attentionlab.experiments.compare.RunRecord;
import attentionlab.experiments.compare.SeedStats;
import attentionlab.experiments.compare.Series;
import attentionlab.experiments.io.Format;
import attentionlab.experiments.layout.MetricColumns;
import attentionlab.experiments.layout.RunStatus;
import attentionlab.models.attention.MultiHeadAttention;
import attentionlab.models.kernel.AttentionKernels;
import attentionlab.models.kernel.KernelOptions;
import attentionlab.models.reference.ParameterNames;
import attentionlab.models.reference.Samples;
import java.util.ArrayList;
import java.util.List;

/**
 * Homework 1(c) in practice: what dividing by sqrt(d_k) does to a model. (a) At initialisation, one
 * head of width d_k in {16, 64, 128, 256} on N(0, 1) inputs: the attention entropy, the largest weight and
 * the W_q gradient norm, with and without the scaling. (b) In training, configs/scaling-in-training.yaml
 * (d_k = 128, unscaled = temperature 1/sqrt(d_k)): the W_q gradient norm, the attention on the target
 * key and the validation accuracy over training.
 */
public final class ScalingInTrainingStudy implements Study<ScalingInTrainingStudy.Measured> {

    public static final String CONFIG = "scaling-in-training";
    /** d_k of configs/scaling-in-training.yaml (one head of d_model 128). */
    static final int CONFIG_HEAD_WIDTH = 128;

    /** At initialisation, one width and scaling: means over rows and draws. */
    public record AtInit(int headWidth, boolean scaled, double entropy, double maxEntropy, double maxWeight, double gradWq) {}

    /**
     * One training variant over its seeds.
     *
     * @param firstGradWq mean W_q gradient norm at the first logged step
     * @param meanGradWq mean W_q gradient norm over all logged steps
     */
    public record InTraining(String variant, List<RunStatus> statuses, double firstGradWq, double meanGradWq,
                             double finalValAccuracy, List<Double> finalValAccuracyPerSeed, double finalAttentionOnTarget) {}

    /** @param trainingNotRun why part (b) did not run, or null */
    public record Measured(List<AtInit> atInit, List<InTraining> training, String trainingNotRun, String experimentDir) {}

    @Override
    public String id() {
        return "scaling-in-training";
    }

    @Override
    public String title() {
        return "The 1/sqrt(d_k) scaling at a large head width: attention entropy and W_q gradient, at init and in training";
    }

    @Override
    public String question() {
        return "Without dividing scores by sqrt(d_k), does a wide head start with near one-hot attention and a small W_q"
                + " gradient, and does that slow or stop learning?";
    }

    @Override
    public Measured measure(ClaimContext context) throws Exception {
        List<AtInit> atInit = new ArrayList<>();
        int draws = context.size("draws per width at initialisation", 5, 2);
        for (int width : new int[] {16, 64, CONFIG_HEAD_WIDTH, 256}) {
            for (boolean scaled : new boolean[] {true, false}) {
                atInit.add(atInit(width, scaled, draws));
            }
        }
        atInit.forEach(a -> context.log("d_k=" + a.headWidth() + (a.scaled() ? " scaled  " : " unscaled") + ": entropy "
                + Format.number(a.entropy()) + " of " + Format.number(a.maxEntropy()) + " nats, max weight "
                + Format.number(a.maxWeight()) + ", |grad W_q| " + Format.number(a.gradWq())));
        List<InTraining> training = new ArrayList<>();
        String notRun = null;
        String experimentDir = null;
        try {
            List<RunRecord> runs = Training.run(context, CONFIG);
            Training.byVariant(runs).forEach((v, list) -> training.add(inTraining(v, list)));
            experimentDir = Training.experimentDir(runs);
            if (!runs.isEmpty()) {
                Training.compare(context, runs.get(0).dir().getParent(), List.of(MetricColumns.VAL_ACCURACY,
                        MetricColumns.gradNorm("*W_q_weight"), MetricColumns.ATTN_TARGET + "*"));
            }
            training.forEach(t -> context.log(t.variant() + ": |grad W_q| first " + Format.number(t.firstGradWq()) + ", mean "
                    + Format.number(t.meanGradWq()) + ", final val accuracy " + Format.number(t.finalValAccuracy())));
        } catch (ClaimNotRunnable e) {
            notRun = e.getMessage();
        }
        return new Measured(atInit, training, notRun, experimentDir);
    }

    private static AtInit atInit(int width, boolean scaled, int draws) {
        double entropy = 0;
        double maxWeight = 0;
        double grad = 0;
        int n = 16;
        for (int draw = 0; draw < draws; draw++) {
            try (NDManager m = NDManager.newBaseManager()) {
                MultiHeadAttention mha = MultiHeadAttention.builder().setModelDim(width).setHeads(1)
                        .optKernel(AttentionKernels.create("softmax", new KernelOptions(1.0, scaled))).build();
                Engine.getInstance().setRandomSeed(10 + draw);
                mha.initialize(m, DataType.FLOAT32, new Shape(8, n, width));
                for (Parameter p : mha.getParameters().values()) {
                    p.getArray().setRequiresGradient(true);
                }
                NDArray x = Samples.normal(m, 500 + draw, DataType.FLOAT32, 8, n, width); // [B,N,d]
                NDArray readout = Samples.normal(m, 600 + draw, DataType.FLOAT32, 8, n, width);
                ParameterStore ps = new ParameterStore(m, false);
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    collector.backward(mha.forward(ps, new NDList(x), true).head().mul(readout).sum());
                }
                NDArray w = mha.attentionWeights(ps, new NDList(x)); // [B,1,N,N]
                NDArray plogp = w.mul(w.maximum(1e-30f).log()); // 0 log 0 = 0
                entropy += plogp.sum(new int[] {-1}).neg().mean().getFloat();
                maxWeight += w.max(new int[] {-1}).mean().getFloat();
                NDArray g = ParameterNames.find(mha, "W_q_weight").getArray().getGradient();
                grad += g.toType(DataType.FLOAT64, false).square().sum().sqrt().getDouble();
            }
        }
        return new AtInit(width, scaled, entropy / draws, Math.log(n), maxWeight / draws, grad / draws);
    }

    private static InTraining inTraining(String variant, List<RunRecord> runs) {
        List<Double> first = new ArrayList<>();
        List<Double> mean = new ArrayList<>();
        List<Double> target = new ArrayList<>();
        for (RunRecord r : runs) {
            for (String column : r.metrics().metrics()) {
                if (MetricColumns.isGradNorm(column) && column.contains("W_q_weight")) {
                    Series s = r.metrics().series(column).finite();
                    if (!s.isEmpty()) {
                        first.add(s.values()[0]);
                        mean.add(SeedStats.mean(s.values()));
                    }
                }
                if (MetricColumns.isAttentionOnTarget(column)) {
                    target.add(ComparisonSummary.finalValue(r, column));
                }
            }
        }
        List<Double> accuracies = runs.stream().map(r -> ComparisonSummary.finalValue(r, MetricColumns.VAL_ACCURACY)).toList();
        return new InTraining(variant, runs.stream().map(RunRecord::status).toList(), average(first), average(mean),
                average(accuracies), accuracies, average(target));
    }

    private static double average(List<Double> values) {
        return SeedStats.mean(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    @Override
    public String findings(Measured m) {
        StringBuilder s = new StringBuilder("At initialisation with d_k = " + CONFIG_HEAD_WIDTH + ", attention entropy is ");
        AtInit scaled = find(m.atInit(), CONFIG_HEAD_WIDTH, true);
        AtInit unscaled = find(m.atInit(), CONFIG_HEAD_WIDTH, false);
        s.append(Format.number(scaled.entropy())).append(" nats scaled vs ").append(Format.number(unscaled.entropy()))
                .append(" unscaled (uniform: ").append(Format.number(scaled.maxEntropy())).append("), the largest weight ")
                .append(Format.number(scaled.maxWeight())).append(" vs ").append(Format.number(unscaled.maxWeight()))
                .append(", and |grad W_q| ").append(Format.number(scaled.gradWq())).append(" vs ").append(Format.number(unscaled.gradWq()))
                .append(". ");
        if (m.trainingNotRun() != null) {
            s.append("Training part not run: ").append(m.trainingNotRun());
        } else {
            for (InTraining t : m.training()) {
                s.append(t.variant()).append(": final validation accuracy ").append(Format.number(t.finalValAccuracy()))
                        .append(" (per seed ").append(Format.numbers(t.finalValAccuracyPerSeed().stream().mapToDouble(Double::doubleValue).toArray()))
                        .append(")")
                        .append(", |grad W_q| at the first logged step ").append(Format.number(t.firstGradWq()))
                        .append(" (mean over training ").append(Format.number(t.meanGradWq())).append("), final attention on target ")
                        .append(Format.number(t.finalAttentionOnTarget())).append(". ");
            }
        }
        return s.toString().trim();
    }

    private static AtInit find(List<AtInit> all, int width, boolean scaled) {
        return all.stream().filter(a -> a.headWidth() == width && a.scaled() == scaled).findFirst().orElseThrow();
    }
}
