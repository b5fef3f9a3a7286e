package attentionlab.models.kernel;

import static attentionlab.models.kernel.FiniteDifferences.central;
import static attentionlab.models.kernel.FiniteDifferences.maxAbsDifference;
import static attentionlab.models.reference.Samples.normal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import attentionlab.models.ops.HostileGc;
import java.util.Arrays;
import java.util.Random;
import java.util.function.DoubleSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import attentionlab.models.reference.RelativeError;

/**
 * sparsemax, entmax15 and entmax: the maps themselves against float64 references and optimality
 * conditions, their limits, masks, and gradients (finite differences, edge cases, hostile GC).
 */
class SparseKernelsTest {

    /** The sparse kernels with the alpha each one computes. */
    static Stream<Object[]> sparseKernels() {
        return Stream.of(
                new Object[] {"sparsemax", 2.0},
                new Object[] {"entmax15", 1.5},
                new Object[] {"entmax", 1.25},
                new Object[] {"entmax", 1.5},
                new Object[] {"entmax", 2.0});
    }

    static AttentionKernel kernel(String name, double alpha) {
        return AttentionKernels.create(name, KernelOptions.DEFAULT.withAlpha(alpha));
    }

    /** Queries and keys whose scaled scores Q K^T / sqrt(D) are exactly {@code rows}: K = identity, D = M. */
    static NDList scoresAsQueriesAndKeys(NDManager m, double[][] rows) {
        int n = rows.length;
        int width = rows[0].length;
        double[] flat = Arrays.stream(rows).flatMapToDouble(Arrays::stream).map(z -> z * Math.sqrt(width)).toArray();
        NDArray q = m.create(flat, new Shape(1, 1, n, width));
        NDArray k = m.eye(width).toType(DataType.FLOAT64, false).reshape(1, 1, width, width);
        return new NDList(q, k);
    }

    /** The kernel's weights for these score rows, as float64 rows. */
    static double[][] weightsOf(AttentionKernel kernel, double[][] rows) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDList qk = scoresAsQueriesAndKeys(m, rows);
            double[] flat = kernel.weights(qk.get(0), qk.get(1), AttentionMask.NONE).toDoubleArray();
            double[][] out = new double[rows.length][];
            for (int i = 0; i < rows.length; i++) {
                out[i] = Arrays.copyOfRange(flat, i * rows[0].length, (i + 1) * rows[0].length);
            }
            return out;
        }
    }

    /** Rows of Gaussian scores at several scales, from nearly uniform to nearly one-hot. */
    static double[][] randomRows(long seed, int width) {
        Random random = new Random(seed);
        double[] scales = {0.05, 0.3, 1, 3, 10, 100};
        double[][] rows = new double[scales.length * 4][width];
        for (int r = 0; r < rows.length; r++) {
            for (int j = 0; j < width; j++) {
                rows[r][j] = scales[r % scales.length] * random.nextGaussian();
            }
        }
        return rows;
    }

    /**
     * The Euclidean projection of z onto the simplex, the textbook way in plain float64 (Duchi et al.
     * 2008): sort descending, keep the largest k with u_k > (u_1 + ... + u_k - 1) / k, shift by that tau.
     */
    static double[] projectOntoSimplex(double[] z) {
        double[] u = z.clone();
        Arrays.sort(u);
        double sum = 0;
        double tau = 0;
        for (int k = 1; k <= u.length; k++) {
            double uk = u[u.length - k];
            sum += uk;
            if (uk > (sum - 1) / k) {
                tau = (sum - 1) / k;
            }
        }
        double finalTau = tau;
        return Arrays.stream(z).map(zi -> Math.max(zi - finalTau, 0)).toArray();
    }

    /**
     * Largest violation of alpha-entmax's optimality (KKT) conditions, which determine it uniquely:
     * p >= 0, sum p = 1, (alpha-1) z_i - p_i^(alpha-1) is one value tau on the support, and
     * (alpha-1) z_j <= tau where p_j = 0.
     */
    static double optimalityViolation(double[] z, double[] p, double alpha) {
        double violation = Math.abs(Arrays.stream(p).sum() - 1);
        double lowTau = Double.POSITIVE_INFINITY;
        double highTau = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < z.length; i++) {
            violation = Math.max(violation, -p[i]);
            if (p[i] > 0) {
                double tau = (alpha - 1) * z[i] - Math.pow(p[i], alpha - 1);
                lowTau = Math.min(lowTau, tau);
                highTau = Math.max(highTau, tau);
            }
        }
        violation = Math.max(violation, highTau - lowTau);
        for (int j = 0; j < z.length; j++) {
            if (p[j] == 0) {
                violation = Math.max(violation, (alpha - 1) * z[j] - highTau);
            }
        }
        return violation;
    }

    @Test
    void sparsemaxIsTheEuclideanProjectionOntoTheSimplex() {
        double[][] rows = randomRows(1, 9);
        double[][] p = weightsOf(AttentionKernels.create("sparsemax"), rows);
        double worst = 0;
        for (int r = 0; r < rows.length; r++) {
            worst = Math.max(worst, maxAbsDifference(p[r], projectOntoSimplex(rows[r])));
        }
        assertThat(worst).isLessThan(1e-12);
    }

    @ParameterizedTest
    @MethodSource("sparseKernels")
    void weightsSatisfyTheEntmaxOptimalityConditions(String name, double alpha) {
        double[][] rows = randomRows(2, 9);
        double[][] p = weightsOf(kernel(name, alpha), rows);
        for (int r = 0; r < rows.length; r++) {
            assertThat(optimalityViolation(rows[r], p[r], alpha)).as("row " + r).isLessThan(1e-12);
        }
    }

    /** The conditions are strict enough to reject a near miss: softmax's weights are not 1.5-entmax's. */
    @Test
    void optimalityConditionsRejectOtherWeights() {
        double[][] rows = randomRows(3, 9);
        double[][] soft = weightsOf(AttentionKernels.create("softmax"), rows);
        double[][] sparse = weightsOf(AttentionKernels.create("sparsemax"), rows);
        assertThat(optimalityViolation(rows[2], soft[2], 1.5)).isGreaterThan(1e-3);
        assertThat(optimalityViolation(rows[2], sparse[2], 1.5)).isGreaterThan(1e-3);
    }

    @ParameterizedTest
    @MethodSource("sparseKernels")
    void weightsAreNonNegativeSumToOneAndHaveExactZeros(String name, double alpha) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray q = normal(m, 4, 2, 2, 16, 8).mul(3); // spread-out scores
            NDArray k = normal(m, 5, 2, 2, 16, 8);
            for (AttentionMask mask : new AttentionMask[] {AttentionMask.NONE, AttentionMask.CAUSAL}) {
                NDArray w = kernel(name, alpha).weights(q, k, mask);
                assertThat(w.min().getFloat()).isGreaterThanOrEqualTo(0f);
                assertThat(RelativeError.of(w.sum(new int[] {-1}), m.ones(new Shape(2, 2, 16)))).isLessThan(1e-5);
                // Exact zeros beyond the masked keys: more zeros than the mask alone gives.
                long masked = mask.causal() ? 2 * 2 * 16 * 15 / 2 : 0;
                assertThat(w.eq(0).sum().getLong()).isGreaterThan(masked);
            }
        }
    }

    @Test
    void entmaxApproachesSoftmaxAsAlphaGoesToOne() {
        double[][] rows = randomRows(6, 9);
        double[][] soft = weightsOf(AttentionKernels.create("softmax"), rows);
        double previous = Double.POSITIVE_INFINITY;
        for (double alpha : new double[] {1.1, 1.01, 1.001}) {
            double[][] p = weightsOf(kernel("entmax", alpha), Arrays.copyOf(rows, 4)); // scales 0.05 .. 3
            double gap = 0;
            for (int r = 0; r < p.length; r++) {
                gap = Math.max(gap, maxAbsDifference(p[r], soft[r]));
            }
            assertThat(gap).as("alpha " + alpha).isLessThan(previous);
            previous = gap;
        }
        assertThat(previous).isLessThan(2e-3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"float32", "float64"})
    void entmaxAtTwoIsSparsemaxAndAtOneAndAHalfIsEntmax15(String type) {
        DataType dataType = type.equals("float64") ? DataType.FLOAT64 : DataType.FLOAT32;
        double tolerance = dataType == DataType.FLOAT64 ? 1e-12 : 1e-6;
        String[][] pairs = {{"sparsemax", "2.0"}, {"entmax15", "1.5"}};
        for (String[] pair : pairs) {
            double alpha = Double.parseDouble(pair[1]);
            Gradients closed = Gradients.of(AttentionKernels.create(pair[0]), dataType, "padded", false);
            Gradients bisected = Gradients.of(kernel("entmax", alpha), dataType, "padded", false);
            assertThat(maxAbsDifference(bisected.weights(), closed.weights())).as(pair[0]).isLessThan(tolerance);
            assertThat(maxAbsDifference(bisected.q(), closed.q())).as(pair[0] + " dq").isLessThan(10 * tolerance);
            assertThat(maxAbsDifference(bisected.k(), closed.k())).as(pair[0] + " dk").isLessThan(10 * tolerance);
        }
    }

    /** float32 (training) agrees with float64 (the reference) on spread-out and nearly uniform rows. */
    @ParameterizedTest
    @MethodSource("sparseKernels")
    void float32AgreesWithFloat64(String name, double alpha) {
        try (NDManager m = NDManager.newBaseManager()) {
            for (double scale : new double[] {0.01, 1, 10}) {
                NDArray q = normal(m, 7, 2, 2, 32, 16).mul(scale).toType(DataType.FLOAT64, false);
                NDArray k = normal(m, 8, 2, 2, 32, 16).toType(DataType.FLOAT64, false);
                NDArray exact = kernel(name, alpha).weights(q, k, AttentionMask.CAUSAL);
                NDArray single = kernel(name, alpha).weights(q.toType(DataType.FLOAT32, false),
                        k.toType(DataType.FLOAT32, false), AttentionMask.CAUSAL);
                assertThat(RelativeError.of(single.toType(DataType.FLOAT64, false), exact)).as("scale " + scale)
                        .isLessThan(1e-5);
            }
        }
    }

    @Test
    void alphaOutsideOneToTwoIsRejected() {
        for (double alpha : new double[] {1.0, 0.5, 2.01, Double.NaN}) {
            assertThatThrownBy(() -> KernelOptions.DEFAULT.withAlpha(alpha))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("alpha must be a number in (1, 2], got " + alpha);
        }
        assertThat(((EntmaxKernel) kernel("entmax", 1.7)).alpha()).isEqualTo(1.7);
        assertThat(((EntmaxKernel) AttentionKernels.create("entmax")).alpha()).isEqualTo(KernelOptions.DEFAULT_ALPHA);
    }

    @ParameterizedTest
    @MethodSource("sparseKernels")
    void gradientsMatchCentralFiniteDifferences(String name, double alpha) {
        AttentionKernel kernel = kernel(name, alpha);
        for (String mask : new String[] {"none", "padded"}) {
            Gradients autograd = Gradients.of(kernel, DataType.FLOAT64, mask, false);
            try (NDManager m = NDManager.newBaseManager()) {
                NDList in = Gradients.inputs(m, DataType.FLOAT64);
                AttentionMask attentionMask = Gradients.mask(m, mask);
                DoubleSupplier loss = () -> kernel.attend(in.get(0), in.get(1), in.get(2), attentionMask)
                        .mul(in.get(3)).sum().getDouble();
                double error = Math.max(
                        maxAbsDifference(autograd.q(), central(in.get(0), loss, 1e-6)),
                        maxAbsDifference(autograd.k(), central(in.get(1), loss, 1e-6)));
                error = Math.max(error,
                        maxAbsDifference(autograd.v(), central(in.get(2), loss, 1e-6)));
                assertThat(error).as(name + " " + mask).isLessThan(1e-7);
                // The check covers keys off the support, and supports of more than one key (non-zero dq).
                assertThat(autograd.weights()).contains(0.0);
                assertThat(Arrays.stream(autograd.weights()).filter(w -> w > 0 && w < 0.99).count()).isGreaterThan(5);
                assertThat(Arrays.stream(autograd.q()).map(Math::abs).max().getAsDouble()).as("dq").isGreaterThan(1e-2);
            }
        }
    }

    /** Keys 0..2 of batch 0 are padding but key 1; every key of batch 1 is padding. */
    @ParameterizedTest
    @MethodSource("sparseKernels")
    void oneVisibleKeyTakesAllTheWeightAndAFullyMaskedRowGivesZeros(String name, double alpha) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDList in = new NDList(normal(m, 21, 2, 1, 3, 4), normal(m, 22, 2, 1, 3, 4), normal(m, 23, 2, 1, 3, 2),
                    normal(m, 24, 2, 1, 3, 2));
            AttentionMask mask = AttentionMask.of(false,
                    m.create(new boolean[] {false, true, false, false, false, false}, new Shape(2, 3)));
            Gradients g = Gradients.of(kernel(name, alpha), in, mask, false);
            assertThat(g.weights()).containsExactly(0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
            NDArray out = kernel(name, alpha).attend(in.get(0), in.get(1), in.get(2), mask);
            assertThat(RelativeError.of(out.get("0"), in.get(2).get("0, :, 1:2, :").repeat(1, 3))).isZero();
            assertThat(out.get("1").abs().max().getFloat()).isZero();
            // Neither row passes gradient to the queries: one key is a constant weight, none is 0.
            assertThat(g.q()).containsOnly(0.0);
            assertThat(g.v()).doesNotContain(Double.NaN);
        }
    }

    /** Query i of N sees keys j <= i + M - N: with M = 2 keys and N = 3 queries, query 0 sees none. */
    @ParameterizedTest
    @MethodSource("sparseKernels")
    void causalQueriesBeforeTheFirstKeyGetZeros(String name, double alpha) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray q = normal(m, 25, 1, 1, 3, 4);
            NDArray k = normal(m, 26, 1, 1, 2, 4);
            double[] w = Gradients.doubles(kernel(name, alpha).weights(q, k, AttentionMask.CAUSAL));
            assertThat(Arrays.copyOfRange(w, 0, 4)).containsExactly(0, 0, 1, 0);
            assertThat(w[4] + w[5]).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
        }
    }

    /** The decode path: the last N queries against all M keys give the last N rows of the full computation. */
    @ParameterizedTest
    @MethodSource("sparseKernels")
    void laterQueriesAgainstAllKeysAreTheLastRowsOfTheFullComputation(String name, double alpha) {
        AttentionKernel kernel = kernel(name, alpha);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray q = normal(m, 27, 2, 2, 7, 4).mul(2);
            NDArray k = normal(m, 28, 2, 2, 7, 4);
            NDArray v = normal(m, 29, 2, 2, 7, 3);
            NDArray full = kernel.attend(q, k, v, AttentionMask.CAUSAL);
            for (int first : new int[] {4, 6}) { // a block of 3 queries, then one decoding step
                NDArray tail = kernel.attend(q.get(":, :, " + first + ":, :"), k, v, AttentionMask.CAUSAL);
                assertThat(RelativeError.of(tail, full.get(":, :, " + first + ":, :"))).as("from " + first)
                        .isLessThan(1e-6);
            }
        }
    }

    /** Score rows whose top key leads by 10 >= 1/(alpha-1): every support is that one key. */
    @ParameterizedTest
    @MethodSource("sparseKernels")
    void aOneKeySupportPassesNoGradientToQueriesAndKeys(String name, double alpha) {
        double[][] rows = {{10, 0, -1, -2}, {-3, 10, 0, 0}, {0, 0, 0, 10}};
        try (NDManager m = NDManager.newBaseManager()) {
            NDList qk = scoresAsQueriesAndKeys(m, rows);
            NDList in = new NDList(qk.get(0), qk.get(1), normal(m, 31, 1, 1, 4, 2).toType(DataType.FLOAT64, false),
                    normal(m, 32, 1, 1, 3, 2).toType(DataType.FLOAT64, false));
            Gradients g = Gradients.of(kernel(name, alpha), in, AttentionMask.NONE, false);
            assertThat(g.weights()).containsExactly(1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1);
            assertThat(g.q()).containsOnly(0.0);
            assertThat(g.k()).containsOnly(0.0);
            assertThat(Arrays.stream(g.v()).map(Math::abs).max().getAsDouble()).isPositive();
        }
    }

    /**
     * Inputs where a closed form can divide by zero, take sqrt(0) or overflow: tied keys, all-zero
     * scores, scores scaled by 100, keys exactly at the threshold (scores 1, 0, 0, -1: sparsemax's tau
     * is 0), and scores 0, 0, -2, -2, where entmax15's 1 - ss_k is exactly 0 at k = 4, beyond its
     * support of 2 (a closed form that takes sqrt there and selects afterwards gets NaN gradients).
     * Gradients must be finite and must not change when a hostile GC runs before backward.
     */
    @ParameterizedTest
    @MethodSource("sparseKernels")
    void hardInputsGiveFiniteGradientsEvenUnderAHostileGc(String name, double alpha) {
        for (String input : new String[] {"ties", "zeros", "large", "threshold", "rootOfZero"}) {
            Gradients calm = hardGradients(kernel(name, alpha), input, false);
            Gradients hostile = hardGradients(kernel(name, alpha), input, true);
            for (double[] g : new double[][] {calm.weights(), calm.q(), calm.k(), calm.v()}) {
                assertThat(Arrays.stream(g).allMatch(Double::isFinite)).as(input + " finite").isTrue();
            }
            assertThat(hostile.q()).as(input).containsExactly(calm.q());
            assertThat(hostile.k()).as(input).containsExactly(calm.k());
            assertThat(hostile.v()).as(input).containsExactly(calm.v());
        }
    }

    static double[][] repeatRow(double[] row, int times) {
        double[][] rows = new double[times][];
        Arrays.fill(rows, row);
        return rows;
    }

    /** float32 (the training type) gradients for one of the hard inputs, causal. */
    static Gradients hardGradients(AttentionKernel kernel, String input, boolean hostileGc) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray v = normal(m, 41, 1, 1, 4, 2);
            NDArray readout = normal(m, 42, 1, 1, 4, 2);
            NDArray q = normal(m, 43, 1, 1, 4, 4);
            NDArray k = normal(m, 44, 1, 1, 4, 4);
            NDList qk = switch (input) {
                case "ties" -> new NDList(q, k.get(":, :, 0:2, :").repeat(2, 2)); // keys 0, 0, 1, 1
                case "zeros" -> new NDList(q.zerosLike(), k);
                case "large" -> new NDList(q.mul(100), k);
                case "threshold" -> scoresAsQueriesAndKeys(m, repeatRow(new double[] {1, 0, 0, -1}, 4));
                case "rootOfZero" -> scoresAsQueriesAndKeys(m, repeatRow(new double[] {0, 0, -2, -2}, 4));
                default -> throw new IllegalArgumentException(input);
            };
            NDArray qf = qk.get(0).toType(DataType.FLOAT32, false);
            NDArray kf = qk.get(1).toType(DataType.FLOAT32, false);
            return Gradients.of(kernel, new NDList(qf, kf, v, readout), AttentionMask.CAUSAL, hostileGc);
        }
    }

    /** Autograd gradients of sum(attend(q, k, v) * R) and the weights, for fixed seeded inputs [2,1,5,3]. */
    record Gradients(double[] weights, double[] q, double[] k, double[] v) {

        /** q (spread by 2), k, v and the read-out R. */
        static NDList inputs(NDManager m, DataType type) {
            return new NDList(normal(m, 11, 2, 1, 5, 3).mul(2).toType(type, false),
                    normal(m, 12, 2, 1, 5, 3).toType(type, false),
                    normal(m, 13, 2, 1, 5, 2).toType(type, false),
                    normal(m, 14, 2, 1, 5, 2).toType(type, false));
        }

        /** none, causal, or padded (causal; batch 0's keys 3 and 4 and batch 1's key 1 are padding). */
        static AttentionMask mask(NDManager m, String kind) {
            return switch (kind) {
                case "none" -> AttentionMask.NONE;
                case "causal" -> AttentionMask.CAUSAL;
                case "padded" -> AttentionMask.of(true, m.create(new boolean[] {
                    true, true, true, false, false, true, false, true, true, true}, new Shape(2, 5)));
                default -> throw new IllegalArgumentException(kind);
            };
        }

        static Gradients of(AttentionKernel kernel, DataType type, String mask, boolean hostileGc) {
            try (NDManager m = NDManager.newBaseManager()) {
                return of(kernel, inputs(m, type), mask(m, mask), hostileGc);
            }
        }

        static Gradients of(AttentionKernel kernel, NDList qkvr, AttentionMask mask, boolean hostileGc) {
            NDArray q = qkvr.get(0);
            NDArray k = qkvr.get(1);
            NDArray v = qkvr.get(2);
            for (NDArray x : new NDArray[] {q, k, v}) {
                x.setRequiresGradient(true);
            }
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray loss = kernel.attend(q, k, v, mask).mul(qkvr.get(3)).sum();
                if (hostileGc) {
                    HostileGc.collectAndReuse();
                }
                collector.backward(loss);
            }
            return new Gradients(doubles(kernel.weights(q, k, mask)), doubles(q.getGradient()),
                    doubles(k.getGradient()), doubles(v.getGradient()));
        }

        static double[] doubles(NDArray x) {
            return x.toType(DataType.FLOAT64, false).toDoubleArray();
        }
    }
}
