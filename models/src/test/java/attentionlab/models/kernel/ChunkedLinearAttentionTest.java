package attentionlab.models.kernel;

import static attentionlab.models.reference.Samples.normal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import attentionlab.models.ops.HostileGc;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import attentionlab.models.reference.RelativeError;

/**
 * The chunked causal form of linear attention against the prefix-sum form and the explicit N x N
 * weights, in float64, for chunk sizes that divide N, that do not, of 1 and beyond N, with padding.
 */
class ChunkedLinearAttentionTest {

    private static final int N = 13;

    static Stream<Arguments> mapsAndChunks() {
        List<Arguments> cases = new ArrayList<>();
        for (FeatureMap map : new FeatureMap[] {new QuadraticFeatureMap(), new OuterProductFeatureMap(), new EluFeatureMap()}) {
            for (int c : new int[] {1, 3, 4, 5, 13, 64}) { // 1: recurrent; 3, 4, 5 do not divide 13; 64 > N
                cases.add(Arguments.of(map, c));
            }
        }
        return cases.stream();
    }

    /** Batch 0: positions 4 and 9 are padding; batch 1: the last three. */
    private static NDArray padding(NDManager m) {
        boolean[] valid = new boolean[2 * N];
        for (int i = 0; i < N; i++) {
            valid[i] = i != 4 && i != 9;
            valid[N + i] = i < N - 3;
        }
        return m.create(valid, new Shape(2, N));
    }

    @ParameterizedTest(name = "{0} C={1}")
    @MethodSource("mapsAndChunks")
    void chunkedEqualsPrefixSumsAndTheExplicitWeightsInFloat64(FeatureMap map, int c) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray q = normal(m, 1, 2, 3, N, 4).mul(0.7).toType(DataType.FLOAT64, false);
            NDArray k = normal(m, 2, 2, 3, N, 4).mul(0.7).toType(DataType.FLOAT64, false);
            NDArray v = normal(m, 3, 2, 3, N, 5).toType(DataType.FLOAT64, false);
            for (AttentionMask mask : new AttentionMask[] {AttentionMask.CAUSAL, AttentionMask.of(true, padding(m))}) {
                LinearAttentionKernel chunked = new LinearAttentionKernel("linear", map, c);
                NDArray out = chunked.attend(q, k, v, mask);
                NDArray prefix = chunked.withChunkSize(0).attend(q, k, v, mask);
                NDArray explicit = chunked.weights(q, k, mask).matMul(v); // [B,H,N,N] x [B,H,N,Dv]
                assertThat(out.getShape()).isEqualTo(new Shape(2, 3, N, 5));
                assertThat(RelativeError.of(out, prefix)).as("chunked vs prefix sums").isLessThan(1e-12);
                assertThat(RelativeError.of(out, explicit)).as("chunked vs N x N").isLessThan(1e-12);
            }
        }
    }

    /**
     * Training runs backward through the chunks: gradients of Q, K, V equal the prefix-sum form's, also
     * with a garbage collection between forward and backward.
     */
    @Test
    void chunkedGradientsEqualPrefixSumGradientsInFloat64() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray readout = normal(m, 4, 2, 2, N, 3).toType(DataType.FLOAT64, false);
            double[][] grads = new double[2][];
            for (int form = 0; form < 2; form++) {
                NDArray q = normal(m, 5, 2, 2, N, 4).toType(DataType.FLOAT64, false);
                NDArray k = normal(m, 6, 2, 2, N, 4).toType(DataType.FLOAT64, false);
                NDArray v = normal(m, 7, 2, 2, N, 3).toType(DataType.FLOAT64, false);
                for (NDArray x : new NDArray[] {q, k, v}) {
                    x.setRequiresGradient(true);
                }
                LinearAttentionKernel kernel = new LinearAttentionKernel("quadratic", new QuadraticFeatureMap(), form == 0 ? 0 : 5);
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray loss = kernel.attend(q, k, v, AttentionMask.of(true, padding(m))).mul(readout).sum();
                    HostileGc.collectAndReuse(); // constants backward reads must live in engine memory
                    collector.backward(loss);
                }
                grads[form] = ai.djl.ndarray.NDArrays.concat(new ai.djl.ndarray.NDList(
                        q.getGradient().flatten(), k.getGradient().flatten(), v.getGradient().flatten())).toDoubleArray();
            }
            double scale = 0;
            double diff = 0;
            for (int i = 0; i < grads[0].length; i++) {
                scale = Math.max(scale, Math.abs(grads[0][i]));
                diff = Math.max(diff, Math.abs(grads[0][i] - grads[1][i]));
            }
            assertThat(scale).isPositive();
            assertThat(diff / scale).isLessThan(1e-12);
        }
    }

    /**
     * A query whose visible keys are all padding has numerator and denominator exactly 0: every form
     * (parallel, prefix sums, chunked, the recurrent read-out of an empty state) returns 0, not 0/0.
     */
    @Test
    void everyFormReturnsZeroWhereNoKeyIsVisible() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray q = normal(m, 8, 2, 2, N, 4);
            NDArray k = normal(m, 9, 2, 2, N, 4);
            NDArray v = normal(m, 10, 2, 2, N, 3);
            boolean[] valid = new boolean[2 * N];
            java.util.Arrays.fill(valid, 0, N, true); // batch 1: every key is padding
            NDArray keyValid = m.create(valid, new Shape(2, N));
            LinearAttentionKernel kernel = new LinearAttentionKernel("quadratic", new QuadraticFeatureMap(), 4);
            for (NDArray out : new NDArray[] {
                kernel.attend(q, k, v, AttentionMask.of(false, keyValid)),
                kernel.withChunkSize(0).attend(q, k, v, AttentionMask.of(true, keyValid)),
                kernel.attend(q, k, v, AttentionMask.of(true, keyValid)),
                kernel.readOut(q, m.zeros(new Shape(2, 2, 15, 4)))}) {
                assertThat(out.isNaN().any().getBoolean()).isFalse();
                assertThat(out.get("1").abs().max().getFloat()).isZero();
            }
        }
    }

    @Test
    void theRegisteredLinearKernelsAreChunkedByDefault() {
        for (String name : new String[] {"quadratic", "linear-elu"}) {
            assertThat(((LinearAttentionKernel) AttentionKernels.create(name)).chunkSize())
                    .isEqualTo(LinearAttentionKernel.DEFAULT_CHUNK_SIZE).isPositive();
        }
    }

    @Test
    void aNegativeChunkSizeIsRejected() {
        assertThatThrownBy(() -> new LinearAttentionKernel("quadratic", new QuadraticFeatureMap(), -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("chunk size").hasMessageContaining("-1");
    }
}
