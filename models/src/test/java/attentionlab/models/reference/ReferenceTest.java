package attentionlab.models.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import attentionlab.models.attention.MultiHeadAttention;
import attentionlab.models.kernel.AttentionMask;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** The references themselves, against numbers worked out by hand. */
class ReferenceTest {

    @Test
    void relativeErrorIsTheLargestDifferenceOverTheLargestReference() {
        try (NDManager m = NDManager.newBaseManager()) {
            assertThat(RelativeError.of(m.create(new float[] {1, 3}), m.create(new float[] {1, 4}))).isEqualTo(0.25);
            assertThat(RelativeError.of(m.create(new float[] {0.5f, 0}), m.create(new float[] {0, 0}))).isEqualTo(0.5);
            assertThat(RelativeError.of(m.create(new float[] {2, -7}), m.create(new float[] {2, -7}))).isZero();
        }
    }

    @Test
    void samplesDependOnTheSeedOnly() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = Samples.normal(m, 3, 4, 5);
            assertThat(a.getShape()).isEqualTo(new Shape(4, 5));
            assertThat(Samples.normal(m, 3, 4, 5).toFloatArray()).isEqualTo(a.toFloatArray());
            assertThat(Samples.normal(m, 4, 4, 5).toFloatArray()).isNotEqualTo(a.toFloatArray());
            assertThat(Samples.normal(m, 3, DataType.FLOAT64, 4, 5).toType(DataType.FLOAT32, false).toFloatArray())
                    .isEqualTo(a.toFloatArray());
        }
    }

    /** q = (1, 0), keys (1, 0) and (0, 1): sim = (1 + 1)^2 = 4 and (0 + 1)^2 = 1, so weights 0.8 and 0.2. */
    @Test
    void quadraticAttentionWeighsKeysByTheSquaredShiftedDotProduct() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray q = m.create(new float[] {1, 0}).reshape(1, 1, 1, 2);
            NDArray k = m.create(new float[] {1, 0, 0, 1}).reshape(1, 1, 2, 2);
            NDArray v = m.create(new float[] {10, 20}).reshape(1, 1, 2, 1);
            assertThat(QuadraticAttention.forward(q, k, v, AttentionMask.NONE).getFloat()).isCloseTo(12f, Offset.offset(1e-5f));
            NDArray onlyFirst = m.create(new boolean[] {true, false}).reshape(1, 2);
            assertThat(QuadraticAttention.forward(q, k, v, AttentionMask.of(false, onlyFirst)).getFloat()).isEqualTo(10f);
        }
    }

    /**
     * One head of width 1 with every weight 1 and bias 0: y_i = sum_j softmax_j(x_i x_j) x_j. For x = (1, 2):
     * y_0 = (e^1 + 2 e^2) / (e^1 + e^2), y_1 = (e^2 + 2 e^4) / (e^2 + e^4); causal: y_0 = 1.
     */
    @Test
    void perHeadLoopComputesSoftmaxAttentionFromTheBlocksWeights() {
        try (NDManager m = NDManager.newBaseManager()) {
            for (boolean causal : new boolean[] {false, true}) {
                MultiHeadAttention mha = MultiHeadAttention.builder().setModelDim(1).setHeads(1).optCausal(causal).build();
                mha.initialize(m, DataType.FLOAT32, new Shape(1, 2, 1));
                mha.getParameters().values().forEach(p -> p.getArray().set(new float[] {p.getName().equals("weight") ? 1f : 0f}));
                NDArray x = m.create(new float[] {1, 2}).reshape(1, 2, 1);
                double y0 = causal ? 1 : (Math.exp(1) + 2 * Math.exp(2)) / (Math.exp(1) + Math.exp(2));
                double y1 = (Math.exp(2) + 2 * Math.exp(4)) / (Math.exp(2) + Math.exp(4));
                assertThat(PerHeadAttention.forward(mha, x, null).toFloatArray())
                        .containsExactly(new float[] {(float) y0, (float) y1}, Offset.offset(1e-5f));
                assertThat(mha.forward(new ParameterStore(m, false), new NDList(x), false).head().toFloatArray())
                        .containsExactly(new float[] {(float) y0, (float) y1}, Offset.offset(1e-5f));
            }
        }
    }

    @Test
    void readableNamesDropTheChildCountersAndKeepAnonymousIndices() {
        assertThat(ParameterNames.readable("02layer0_02attention_01W_q_weight")).isEqualTo("layer0_attention_W_q_weight");
        assertThat(ParameterNames.readable("02layer0_04ffn_01Linear_weight")).isEqualTo("layer0_ffn_Linear1_weight");
        assertThat(ParameterNames.readable("token_embedding")).isEqualTo("token_embedding");
    }

    @Test
    void findLooksUpByReadableNameAndListsTheNamesOtherwise() {
        try (NDManager m = NDManager.newBaseManager()) {
            MultiHeadAttention mha = MultiHeadAttention.builder().setModelDim(4).setHeads(2).build();
            mha.initialize(m, DataType.FLOAT32, new Shape(1, 3, 4));
            assertThat(ParameterNames.find(mha, "W_k_bias").getArray().getShape()).isEqualTo(new Shape(4));
            assertThatThrownBy(() -> ParameterNames.find(mha, "W_x_weight")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("W_x_weight").hasMessageContaining("W_q_weight");
        }
    }
}
