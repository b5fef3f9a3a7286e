package attentionlab.experiments.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * AdamOptimizer against its formula computed in float64 (the class Javadoc), step by step, with the
 * learning rate, gradient scale and weight decay it is prepared with; and its saved moments resume
 * the same trajectory.
 */
class AdamOptimizerTest {

    static final float[][] GRADIENTS = {{0.1f, -0.2f, 0.3f}, {0.4f, 0f, -0.5f}, {-0.25f, 0.125f, 1f}};
    static final float[] START = {0.5f, -1f, 2f};

    /** The reference Adam: beta1 0.8, beta2 0.9, eps 0.05 (large enough that each term shows). */
    private static double[] reference(double[] lr, double[] scale, double decay, int steps) {
        double[] w = {START[0], START[1], START[2]};
        double[] m = new double[3];
        double[] v = new double[3];
        for (int t = 1; t <= steps; t++) {
            for (int i = 0; i < 3; i++) {
                double g = scale[t - 1] * GRADIENTS[t - 1][i];
                m[i] = 0.8 * m[i] + 0.2 * g;
                v[i] = 0.9 * v[i] + 0.1 * g * g;
                double mHat = m[i] / (1 - Math.pow(0.8, t));
                double vHat = v[i] / (1 - Math.pow(0.9, t));
                w[i] -= lr[t - 1] * mHat / (Math.sqrt(vHat) + 0.05) + lr[t - 1] * decay * w[i];
            }
        }
        return w;
    }

    private static float[] run(AdamOptimizer adam, NDManager m, NDArray w, double[] lr, double[] scale, int from, int to) {
        for (int t = from; t <= to; t++) {
            adam.prepare(t, lr[t - 1], scale[t - 1]);
            adam.update("w", w, m.create(GRADIENTS[t - 1]));
        }
        return w.toFloatArray();
    }

    private static void assertClose(float[] actual, double[] expected) {
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) actual[i]).as("w[%d]", i).isEqualTo(expected[i], within(1e-6));
        }
    }

    @Test
    void threeStepsFollowTheFormula() {
        double[] lr = {0.1, 0.05, 0.2};
        double[] scale = {1, 1, 1};
        try (NDManager m = NDManager.newBaseManager()) {
            float[] w = run(new AdamOptimizer(0.8, 0.9, 0.05, 0), m, m.create(START), lr, scale, 1, 3);
            assertClose(w, reference(lr, scale, 0, 3));
        }
    }

    @Test
    void theGradientScaleAndWeightDecayEnterAsWritten() {
        double[] lr = {0.1, 0.05, 0.2};
        double[] scale = {0.5, 1, 0.25};
        try (NDManager m = NDManager.newBaseManager()) {
            float[] w = run(new AdamOptimizer(0.8, 0.9, 0.05, 0.3), m, m.create(START), lr, scale, 1, 3);
            assertClose(w, reference(lr, scale, 0.3, 3));
        }
    }

    @Test
    void savedMomentsResumeTheSameTrajectory() throws Exception {
        double[] lr = {0.1, 0.05, 0.2};
        double[] scale = {1, 1, 1};
        try (NDManager m = NDManager.newBaseManager()) {
            AdamOptimizer first = new AdamOptimizer(0.8, 0.9, 0.05, 0);
            NDArray w = m.create(START);
            run(first, m, w, lr, scale, 1, 2);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                first.save(out, Map.of("w", "weight"));
            }
            AdamOptimizer resumed = new AdamOptimizer(0.8, 0.9, 0.05, 0);
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                resumed.load(in, m, Map.of("weight", "w"));
            }
            assertClose(run(resumed, m, w, lr, scale, 3, 3), reference(lr, scale, 0, 3));
        }
    }

    @Test
    void loadingMomentsOfAnUnknownParameterFails() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            AdamOptimizer adam = new AdamOptimizer(0.8, 0.9, 0.05, 0);
            run(adam, m, m.create(START), new double[] {0.1}, new double[] {1}, 1, 1);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                adam.save(out, Map.of("w", "weight"));
            }
            AdamOptimizer other = new AdamOptimizer(0.8, 0.9, 0.05, 0);
            assertThatThrownBy(() -> other.load(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), m, Map.of()))
                    .isInstanceOf(java.io.IOException.class).hasMessageContaining("weight");
        }
    }

    @Test
    void anUpdateWithoutPrepareIsRefused() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.create(START);
            assertThatThrownBy(() -> new AdamOptimizer(0.9, 0.999, 1e-8, 0).update("w", w, m.create(GRADIENTS[0])))
                    .isInstanceOf(IllegalStateException.class);
        }
    }
}
