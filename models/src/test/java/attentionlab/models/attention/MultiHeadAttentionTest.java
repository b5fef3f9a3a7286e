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

    @ParameterizedTest(name = "kv_heads = {0}")
    @ValueSource(ints = {1, 2, 4})
    void keyAndValueProjectionsHaveOneHeadPerKvHead(int g) {
        try (NDManager m = NDManager.newBaseManager()) {
            MultiHeadAttention mha = MultiHeadAttention.builder().setModelDim(D).setHeads(H).optKvHeads(g)
                    .optValueDim(2 * D).build();
            mha.initialize(m, DataType.FLOAT32, new Shape(2, 5, D));
            assertThat(mha.weight(Projection.QUERY).getShape()).isEqualTo(new Shape(D, D));
            assertThat(mha.weight(Projection.KEY).getShape()).isEqualTo(new Shape(g * (D / H), D)); // [G d_k, d_model]
            assertThat(mha.weight(Projection.VALUE).getShape()).isEqualTo(new Shape(g * (2 * D / H), D)); // [G d_v, d_model]
            assertThat(mha.bias(Projection.KEY).getShape()).isEqualTo(new Shape(g * (D / H)));
            assertThat(mha.weight(Projection.OUTPUT).getShape()).isEqualTo(new Shape(D, 2 * D));
            assertThat(mha.kvHeads()).isEqualTo(g);
        }
    }

    /**
     * Grouped-query (G = 2) and multi-query (G = 1) blocks equal a multi-head block whose key/value
     * rows for query head h are those of key/value head h / (H / G).
     */
    @ParameterizedTest(name = "kv_heads = {0}")
    @ValueSource(ints = {1, 2})
    void sharedKeyValueHeadsEqualMultiHeadWithCopiedHeads(int g) {
        try (NDManager m = NDManager.newBaseManager()) {
            Shape in = new Shape(2, 6, D);
            MultiHeadAttention shared = MultiHeadAttention.builder().setModelDim(D).setHeads(H).optKvHeads(g)
                    .optCausal(true).build();
            shared.initialize(m, DataType.FLOAT32, in);
            MultiHeadAttention full = MultiHeadAttention.builder().setModelDim(D).setHeads(H).optCausal(true).build();
            full.initialize(m, DataType.FLOAT32, in);
            int dk = D / H;
            for (Projection p : Projection.values()) {
                NDArray w = shared.weight(p);
                NDArray b = shared.bias(p);
                if (p == Projection.KEY || p == Projection.VALUE) { // [G*dk, D] -> [H*dk, D]: head j -> heads j*r .. j*r+r-1
                    w = w.reshape(g, 1, dk, D).repeat(1, H / g).reshape(D, D);
                    b = b.reshape(g, 1, dk).repeat(1, H / g).reshape(D);
                }
                full.weight(p).set(w.toFloatArray());
                full.bias(p).set(b.toFloatArray());
            }
            NDArray x = normal(m, 5, 2, 6, D);
            NDArray valid = m.create(new boolean[] {true, true, true, true, false, false, true, true, false, true, true, true},
                    new Shape(2, 6));
            ParameterStore ps = new ParameterStore(m, false);
            for (NDList inputs : List.of(new NDList(x), new NDList(x, valid))) {
                NDArray expected = full.forward(ps, inputs, false).head();
                assertThat(RelativeError.of(shared.forward(ps, inputs, false).head(), expected)).isLessThan(1e-6);
            }
            NDArray weights = shared.attentionWeights(ps, new NDList(x));
            assertThat(RelativeError.of(weights, full.attentionWeights(ps, new NDList(x)))).isLessThan(1e-6);
        }
    }

    @ParameterizedTest(name = "kv_heads = {0}")
    @ValueSource(ints = {0, 3, 8, -2})
    void kvHeadsThatDoNotDivideHeadsAreRejected(int g) {
        assertThatThrownBy(() -> MultiHeadAttention.builder().setModelDim(D).setHeads(H).optKvHeads(g).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kv_heads " + g)
                .hasMessageContaining("allowed: 1, 2, 4");
        assertThat(MultiHeadAttention.allowedKvHeads(12)).containsExactly(1, 2, 3, 4, 6, 12);
    }

    @Test
    void multiQueryKeysAndValuesLearnFromEveryQueryHead() {
        try (NDManager m = NDManager.newBaseManager()) {
            MultiHeadAttention mqa = MultiHeadAttention.builder().setModelDim(D).setHeads(H).optKvHeads(1).build();
            mqa.initialize(m, DataType.FLOAT32, new Shape(2, 5, D));
            for (Parameter p : mqa.getParameters().values()) {
                p.getArray().setRequiresGradient(true);
            }
            try (ai.djl.training.GradientCollector collector = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                NDArray y = mqa.forward(new ParameterStore(m, false), new NDList(normal(m, 6, 2, 5, D)), true).head();
                collector.backward(y.mul(normal(m, 7, 2, 5, D)).sum());
            }
            for (Projection p : Projection.values()) {
                assertThat(mqa.weight(p).getGradient().abs().sum().getFloat()).as(p.name()).isPositive();
            }
        }
    }
}
