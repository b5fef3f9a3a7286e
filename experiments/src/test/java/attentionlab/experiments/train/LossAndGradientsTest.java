package attentionlab.experiments.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import attentionlab.experiments.config.TrainConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The training loop's arithmetic against hand computations: masked cross-entropy, accuracy counts, gradient norms, warm-up. */
class LossAndGradientsTest {

    /** Two sequences of two positions, three classes; label -1 carries no loss. */
    @Test
    void maskedCrossEntropyAveragesOverLabelledPositionsOnly() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.create(new float[] {1, 2, 3, 0, 0, 0, 2, 0, 0, 5, -5, 0}).reshape(2, 2, 3); // [B,N,V]
            NDArray labels = m.create(new long[] {2, -1, 1, 0}).reshape(2, 2); // [B,N]
            double loss = new MaskedCrossEntropy().evaluate(new NDList(labels), new NDList(logits)).getFloat();
            double expected = (nll(new double[] {1, 2, 3}, 2) + nll(new double[] {2, 0, 0}, 1) + nll(new double[] {5, -5, 0}, 0)) / 3;
            assertThat(loss).isEqualTo(expected, within(1e-5));
            // predictions: 2 (right), -, 0 (label 1: wrong), 0 (right); sequence 0 all right, sequence 1 not
            assertThat(MaskedCrossEntropy.correct(logits, labels)).containsExactly(2, 3, 1);
        }
    }

    private static double nll(double[] logits, int label) {
        double sum = 0;
        for (double z : logits) {
            sum += Math.exp(z);
        }
        return Math.log(sum) - logits[label];
    }

    @Test
    void gradientStatsReadEachNormAndLargestEntry() {
        try (NDManager m = NDManager.newBaseManager()) {
            Parameter a = parameter(m, "a", new float[] {1, 2, 3});
            Parameter b = parameter(m, "b", new float[] {1, 1});
            try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                NDArray loss = a.getArray().mul(m.create(new float[] {3, -4, 0})).sum()
                        .add(b.getArray().mul(m.create(new float[] {-12, 0})).sum()); // grads [3,-4,0], [-12,0]
                c.backward(loss);
            }
            try (NDManager scratch = m.newSubManager()) {
                GradientStats stats = GradientStats.read(List.of("a", "b"), List.of(a, b), scratch);
                assertThat(stats.norms()).containsExactly(5f, 12f);
                assertThat(stats.maxAbs()).containsExactly(4f, 12f);
                assertThat(stats.globalNorm()).isEqualTo(13.0);
                assertThat(stats.firstNonFinite()).isNull();
            }
            GradientStats bad = new GradientStats(List.of("a", "b", "c"), new float[] {1, 2, Float.NaN}, new float[] {1, Float.POSITIVE_INFINITY, 1});
            assertThat(bad.firstNonFinite()).startsWith("b has a non-finite gradient");
            assertThat(new GradientStats(List.of("a"), new float[] {Float.NaN}, new float[] {1}).firstNonFinite()).startsWith("a ");
        }
    }

    private static Parameter parameter(NDManager m, String name, float[] values) {
        Parameter p = Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).build();
        p.setArray(m.create(values));
        p.getArray().setRequiresGradient(true);
        return p;
    }

    @Test
    void learningRateWarmsUpLinearlyThenStaysConstant() {
        TrainConfig none = train(0);
        TrainConfig four = train(4);
        assertThat(TrainingLoop.learningRate(none, 1)).isEqualTo(0.2);
        assertThat(TrainingLoop.learningRate(four, 1)).isEqualTo(0.05);
        assertThat(TrainingLoop.learningRate(four, 2)).isEqualTo(0.1);
        assertThat(TrainingLoop.learningRate(four, 4)).isEqualTo(0.2);
        assertThat(TrainingLoop.learningRate(four, 9)).isEqualTo(0.2);
    }

    private static TrainConfig train(int warmup) {
        return new TrainConfig(10, 4, "adam", 0.2, 0.9, 0.999, 1e-8, 0, 0, warmup, 5, 1, 0, List.of(0L), null);
    }
}
