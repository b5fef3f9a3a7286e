package attentionlab.models.attention;

import static attentionlab.models.reference.Samples.normal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import attentionlab.models.kernel.AttentionKernels;
import attentionlab.models.reference.ParameterNames;
import attentionlab.models.reference.PerHeadAttention;
import attentionlab.models.reference.RelativeError;
import attentionlab.models.stack.TransformerLayer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Homework 3: projection shapes, equality with a per-head loop, and the value_dim = 2 d_model case. */
class MultiHeadAttentionTest {

    private static final int D = 16;
    private static final int H = 4;

    static NDArray weight(ai.djl.nn.Block block, String child, String kind) {
        return ParameterNames.find(block, child + "_" + kind).getArray();
    }

    @Test
    void everyProjectionIsDModelByDModel() {
        try (NDManager m = NDManager.newBaseManager()) {
            MultiHeadAttention mha = MultiHeadAttention.builder().setModelDim(D).setHeads(H).build();
            mha.initialize(m, DataType.FLOAT32, new Shape(2, 5, D));
            for (String w : List.of("W_q", "W_k", "W_v", "W_o")) {
                // DJL's Linear stores [out, in].
                assertThat(weight(mha, w, "weight").getShape()).as(w).isEqualTo(new Shape(D, D));
                assertThat(weight(mha, w, "bias").getShape()).as(w).isEqualTo(new Shape(D));
            }
        }
    }

    /** The block against the obvious per-head loop over the same weights, with and without masks. */
    @ParameterizedTest
    @ValueSource(strings = {"none", "causal", "padding"})
    void blockEqualsAPerHeadLoop(String mask) {
        try (NDManager m = NDManager.newBaseManager()) {
            MultiHeadAttention mha = MultiHeadAttention.builder().setModelDim(D).setHeads(H)
                    .optCausal(mask.equals("causal")).build();
            mha.setInitializer(new NormalInitializer(0.5f), Parameter.Type.BIAS); // non-zero biases take part
            mha.initialize(m, DataType.FLOAT32, new Shape(2, 6, D));
            NDArray x = normal(m, 1, 2, 6, D);
            NDArray valid = mask.equals("padding")
                    ? m.create(new boolean[] {true, true, true, true, false, false, true, true, true, true, true, true},
                            new Shape(2, 6))
                    : null;
            NDList input = valid == null ? new NDList(x) : new NDList(x, valid);
            NDArray out = mha.forward(new ParameterStore(m, false), input, false).head();
            assertThat(RelativeError.of(out, PerHeadAttention.forward(mha, x, valid))).isLessThan(1e-5);
        }
    }

    @Test
    void splitAndCombineHeadsAreInverse() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = normal(m, 2, 3, 5, 12);
            NDArray split = MultiHeadAttention.splitHeads(x, 4);
            assertThat(split.getShape()).isEqualTo(new Shape(3, 4, 5, 3));
            // Head h holds features h*3 .. h*3+2 of every position.
            assertThat(RelativeError.of(split.get(":, 2, :, :"), x.get(":, :, 6:9"))).isZero();
            assertThat(RelativeError.of(MultiHeadAttention.combineHeads(split), x)).isZero();
        }
    }

    @Test
    void doubleWidthValuesWithAnUnresizedOutputProjectionFailAtInitialization() {
        try (NDManager m = NDManager.newBaseManager()) {
            MultiHeadAttention mha = MultiHeadAttention.builder().setModelDim(D).setHeads(H)
                    .optValueDim(2 * D).optOutputInputDim(D).build();
            assertThatThrownBy(() -> mha.initialize(m, DataType.FLOAT32, new Shape(2, 5, D)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("W_o")
                    .hasMessageContaining(String.valueOf(D))
                    .hasMessageContaining(String.valueOf(2 * D));
        }
    }

    @Test
    void doubleWidthValuesWorkWithTheOutputProjectionResized() {
        try (NDManager m = NDManager.newBaseManager()) {
            MultiHeadAttention mha = MultiHeadAttention.builder().setModelDim(D).setHeads(H).optValueDim(2 * D).build();
            TransformerLayer layer = new TransformerLayer(mha, 32);
            layer.initialize(m, DataType.FLOAT32, new Shape(2, 5, D));
            assertThat(weight(mha, "W_v", "weight").getShape()).isEqualTo(new Shape(2 * D, D));
            assertThat(weight(mha, "W_o", "weight").getShape()).isEqualTo(new Shape(D, 2 * D));
            NDArray x = normal(m, 3, 2, 5, D);
            ParameterStore ps = new ParameterStore(m, false);
            assertThat(mha.forward(ps, new NDList(x), false).head().getShape()).isEqualTo(new Shape(2, 5, D));
            // The residual stream keeps d_model: layer(x) = x + ... has x's shape.
            assertThat(layer.forward(ps, new NDList(x), false).head().getShape()).isEqualTo(new Shape(2, 5, D));
        }
    }

    @Test
    void invalidSizesAreRejectedByTheBuilder() {
        assertThatThrownBy(() -> MultiHeadAttention.builder().setModelDim(10).setHeads(4).build())
                .hasMessageContaining("d_model 10 is not divisible by heads 4");
        assertThatThrownBy(() -> MultiHeadAttention.builder().setModelDim(16).setHeads(4).optValueDim(18).build())
                .hasMessageContaining("value_dim 18");
    }

    @Test
    void attentionWeightsAreOnePerHeadAndRowsSumToOne() {
        try (NDManager m = NDManager.newBaseManager()) {
            MultiHeadAttention mha = MultiHeadAttention.builder().setModelDim(D).setHeads(H)
                    .optKernel(AttentionKernels.create("quadratic")).build();
            mha.initialize(m, DataType.FLOAT32, new Shape(2, 5, D));
            NDArray w = mha.attentionWeights(new ParameterStore(m, false), new NDList(normal(m, 4, 2, 5, D)));
            assertThat(w.getShape()).isEqualTo(new Shape(2, H, 5, 5));
            assertThat(RelativeError.of(w.sum(new int[] {-1}), m.ones(new Shape(2, H, 5)))).isLessThan(1e-5);
        }
    }
}
