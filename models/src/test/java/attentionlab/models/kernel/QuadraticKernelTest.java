package attentionlab.models.kernel;

import static attentionlab.models.reference.Samples.normal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import attentionlab.models.reference.QuadraticAttention;
import attentionlab.models.reference.RelativeError;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Homework 6(a-b): the quadratic kernel's feature maps, its linear form, and its guard. */
class QuadraticKernelTest {

    private final QuadraticFeatureMap phi = new QuadraticFeatureMap();
    private final AttentionKernel kernel = AttentionKernels.create("quadratic");

    /** Both maps of (q.k + 1)^2: the homework's minimal one and the full outer product. */
    static Stream<FeatureMap> quadraticMaps() {
        return Stream.of(new QuadraticFeatureMap(), new OuterProductFeatureMap());
    }

    @Test
    void theQuadraticKernelUsesTheHomeworksMinimalMap() {
        FeatureMap map = ((LinearAttentionKernel) kernel).featureMap();
        assertThat(map.name()).isEqualTo("quadratic");
        assertThat(map.featureDim(16)).isEqualTo(1 + 16 + 16 * 17 / 2);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 8, 16})
    void fullMapWidthIsTheSquareOfDPlusOne(int d) {
        try (NDManager m = NDManager.newBaseManager()) {
            FeatureMap full = new OuterProductFeatureMap();
            assertThat(full.apply(normal(m, 1, 5, d)).getShape().getLastDimension()).isEqualTo((d + 1) * (d + 1));
            assertThat(full.featureDim(d)).isEqualTo((d + 1L) * (d + 1));
        }
    }

    @Test
    void fullMapIsExplicit() {
        try (NDManager m = NDManager.newBaseManager()) {
            // a = [1, 2, 3]: vec(a a^T), row-major
            float[] features = new OuterProductFeatureMap().apply(m.create(new float[] {2, 3})).toFloatArray();
            assertThat(features).containsExactly(1, 2, 3, 2, 4, 6, 3, 6, 9);
        }
    }

    /** float64, both maps, on rank-2 and rank-4 inputs (the map acts on the last axis only). */
    @ParameterizedTest
    @MethodSource("quadraticMaps")
    void everyMapsDotProductIsTheKernelInFloat64(FeatureMap map) {
        try (NDManager m = NDManager.newBaseManager()) {
            for (long[] shape : new long[][] {{256, 8}, {2, 3, 40, 5}}) {
                NDArray q = normal(m, 2, shape).mul(3).toType(DataType.FLOAT64, false);
                NDArray k = normal(m, 3, shape).mul(3).toType(DataType.FLOAT64, false);
                NDArray viaFeatures = map.apply(q).mul(map.apply(k)).sum(new int[] {-1});
                NDArray direct = q.mul(k).sum(new int[] {-1}).add(1).square();
                assertThat(viaFeatures.sub(direct).abs().div(direct).max().getDouble()).as(map.name()).isLessThanOrEqualTo(1e-9);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 8, 16})
    void featureWidthIsOnePlusDPlusTriangle(int d) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = normal(m, 1, 5, d);
            assertThat(phi.apply(x).getShape().getLastDimension()).isEqualTo(1 + d + d * (d + 1) / 2);
            assertThat(phi.featureDim(d)).isEqualTo(1 + d + d * (d + 1) / 2);
        }
    }

    /**
     * float32: phi(q).phi(k) adds up terms as large as (1 + |q||k|)^2 whose sum, (q.k + 1)^2, can be
     * near 0 (q.k ~ -1), so the error is measured against that scale: |error| / (1 + |q||k|)^2.
     */
    @ParameterizedTest
    @ValueSource(floats = {1f, 30f})
    void featureDotProductIsTheKernelInFloat32(float scale) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray q = normal(m, 2, 256, 8).mul(scale);
            NDArray k = normal(m, 3, 256, 8).mul(scale);
            NDArray viaFeatures = phi.apply(q).mul(phi.apply(k)).sum(new int[] {-1}); // [256]
            NDArray direct = q.mul(k).sum(new int[] {-1}).add(1).square(); // [256]
            NDArray termScale = q.norm(new int[] {-1}).mul(k.norm(new int[] {-1})).add(1).square();
            assertThat(viaFeatures.sub(direct).abs().div(termScale).max().getFloat()).isLessThanOrEqualTo(1e-5f);
        }
    }

    /** float64: the identity holds to rounding, relative to the kernel value itself. */
    @ParameterizedTest
    @ValueSource(floats = {1f, 30f})
    void featureDotProductIsTheKernelInFloat64(float scale) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray q = normal(m, 2, 256, 8).mul(scale).toType(DataType.FLOAT64, false);
            NDArray k = normal(m, 3, 256, 8).mul(scale).toType(DataType.FLOAT64, false);
            NDArray viaFeatures = phi.apply(q).mul(phi.apply(k)).sum(new int[] {-1});
            NDArray direct = q.mul(k).sum(new int[] {-1}).add(1).square();
            assertThat(viaFeatures.sub(direct).abs().div(direct).max().getDouble()).isLessThanOrEqualTo(1e-9);
        }
    }

    @Test
    void featureMapIsExplicit() {
        try (NDManager m = NDManager.newBaseManager()) {
            float s = (float) Math.sqrt(2);
            float[] features = phi.apply(m.create(new float[] {2, 3})).toFloatArray();
            // [1, sqrt2 x1, sqrt2 x2, x1^2, sqrt2 x1 x2, x2^2]
            assertThat(features).containsExactly(new float[] {1, s * 2, s * 3, 4, s * 6, 9},
                    org.assertj.core.data.Offset.offset(1e-5f));
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void linearFormEqualsTheNByNForm(boolean causal) {
        try (NDManager m = NDManager.newBaseManager()) {
            // float64: rows whose similarities nearly cancel (q.k ~ -1) are ill-conditioned in float32.
            NDArray q = normal(m, 4, 2, 3, 12, 4).mul(0.5).toType(DataType.FLOAT64, false);
            NDArray k = normal(m, 5, 2, 3, 12, 4).mul(0.5).toType(DataType.FLOAT64, false);
            NDArray v = normal(m, 6, 2, 3, 12, 5).toType(DataType.FLOAT64, false);
            AttentionMask mask = causal ? AttentionMask.CAUSAL : AttentionMask.NONE;
            assertThat(RelativeError.of(kernel.attend(q, k, v, mask), QuadraticAttention.forward(q, k, v, mask))).isLessThan(1e-9);
        }
    }

    @Test
    void linearFormHonoursPadding() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray q = normal(m, 7, 2, 2, 6, 4);
            NDArray k = normal(m, 8, 2, 2, 6, 4);
            NDArray v = normal(m, 9, 2, 2, 6, 3);
            NDArray valid = m.create(new boolean[] {true, true, true, true, false, false, true, false, true, true, true, true},
                    new ai.djl.ndarray.types.Shape(2, 6));
            AttentionMask mask = AttentionMask.of(false, valid);
            assertThat(RelativeError.of(kernel.attend(q, k, v, mask), QuadraticAttention.forward(q, k, v, mask))).isLessThan(1e-5);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void zeroDenominatorIsGuarded(boolean causal) {
        try (NDManager m = NDManager.newBaseManager()) {
            // q = (1, 0) and every key = (-1, 0): q.k = -1, so sim = 0 for every key and the denominator is 0.
            NDArray q = m.create(new float[] {1, 0, 1, 0, 1, 0}).reshape(1, 1, 3, 2);
            NDArray k = m.create(new float[] {-1, 0, -1, 0, -1, 0}).reshape(1, 1, 3, 2);
            NDArray v = m.create(new float[] {1, 2, 3, 4, 5, 6}).reshape(1, 1, 3, 2);
            AttentionMask mask = causal ? AttentionMask.CAUSAL : AttentionMask.NONE;
            // In float32 the denominator is 0 up to rounding (2 * 1.0000001 - 1 - 1 ...), below the guard.
            NDArray denominator = phi.apply(q).matMul(phi.apply(k).transpose(0, 1, 3, 2)).sum(new int[] {-1});
            assertThat(denominator.abs().max().getFloat()).isLessThan(LinearAttentionKernel.MIN_DENOMINATOR);
            NDArray out = kernel.attend(q, k, v, mask);
            assertThat(out.isNaN().any().getBoolean() || out.isInfinite().any().getBoolean()).isFalse();
            // Numerator and denominator vanish together: the guarded output stays within the values' range.
            assertThat(out.abs().max().getFloat()).isLessThanOrEqualTo(v.abs().max().getFloat());
        }
    }

    @Test
    void similarityNeverNegative() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray q = normal(m, 10, 1, 1, 200, 3).mul(3);
            NDArray k = normal(m, 11, 1, 1, 200, 3).mul(3);
            NDArray sim = phi.apply(q).matMul(phi.apply(k).transpose(0, 1, 3, 2));
            assertThat(sim.min().getFloat()).isGreaterThanOrEqualTo(0f);
            assertThat(sim.toType(DataType.FLOAT32, false).getShape().getShape()).containsExactly(1, 1, 200, 200);
        }
    }

    @Test
    void aFeatureMapThatCanGoNegativeIsRejected() {
        assertThatThrownBy(() -> new LinearAttentionKernel("linear", new IdentityFeatureMap()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("identity")
                .hasMessageContaining("negative");
    }
}
