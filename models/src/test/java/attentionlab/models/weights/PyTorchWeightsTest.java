package attentionlab.models.weights;

import static attentionlab.models.reference.Samples.normal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import attentionlab.models.attention.MultiHeadAttention;
import attentionlab.models.attention.Projection;
import attentionlab.models.kernel.AttentionKernels;
import attentionlab.models.stack.SequenceModel;
import attentionlab.models.stack.TransformerLayer;
import attentionlab.models.weights.PyTorchWeights.Layout;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** Weights in PyTorch's names and layout: a hand-computed example, round trips, shape checks. */
class PyTorchWeightsTest {

    private static final int D = 16;
    private static final int H = 4;

    @TempDir
    Path dir;

    static MultiHeadAttention block(NDManager m, int kvHeads, int seed) {
        MultiHeadAttention block = MultiHeadAttention.builder().setModelDim(D).setHeads(H).optKvHeads(kvHeads)
                .optCausal(true).build();
        Engine.getInstance().setRandomSeed(seed);
        block.initialize(m, DataType.FLOAT32, new Shape(2, 5, D));
        return block;
    }

    static NDArray forward(NDManager m, MultiHeadAttention block, NDArray x) {
        return block.forward(new ParameterStore(m, false), new NDList(x), false).head();
    }

    /**
     * d_model 2, one head, softmax, nn.MultiheadAttention's packed layout. W_q = W_k = I, W_v = diag(2, 1),
     * b_v = (0, 1), W_o = [[1, 1], [0, 1]], b_o = (0.5, 0); x_1 = (1, 0), x_2 = (0, 1). Then q_i = k_i = x_i,
     * scores = I / sqrt2, so token 1 weighs (p, 1 - p) and token 2 (1 - p, p) with p = e^c / (e^c + 1),
     * c = 1/sqrt2; v_1 = (2, 1), v_2 = (0, 2); o_1 = (2p, 2 - p), o_2 = (2 - 2p, 1 + p);
     * y = (o_1 + o_2 + 0.5, o_2): y_1 = (2.5 + p, 2 - p), y_2 = (3.5 - p, 1 + p).
     */
    @ParameterizedTest
    @EnumSource(Layout.class)
    void aHandComputedExampleInPyTorchLayout(Layout layout) {
        try (NDManager m = NDManager.newBaseManager()) {
            MultiHeadAttention block = MultiHeadAttention.builder().setModelDim(2).setHeads(1).build();
            block.initialize(m, DataType.FLOAT32, new Shape(1, 2, 2));
            Map<String, NDArray> stateDict = new LinkedHashMap<>();
            float[] wq = {1, 0, 0, 1};
            float[] wk = {1, 0, 0, 1};
            float[] wv = {2, 0, 0, 1};
            if (layout == Layout.PACKED) {
                stateDict.put("in_proj_weight", m.create(new float[] {1, 0, 0, 1, 1, 0, 0, 1, 2, 0, 0, 1}, new Shape(6, 2)));
                stateDict.put("in_proj_bias", m.create(new float[] {0, 0, 0, 0, 0, 1}));
            } else {
                stateDict.put("q_proj.weight", m.create(wq, new Shape(2, 2)));
                stateDict.put("q_proj.bias", m.create(new float[] {0, 0}));
                stateDict.put("k_proj.weight", m.create(wk, new Shape(2, 2)));
                stateDict.put("k_proj.bias", m.create(new float[] {0, 0}));
                stateDict.put("v_proj.weight", m.create(wv, new Shape(2, 2)));
                stateDict.put("v_proj.bias", m.create(new float[] {0, 1}));
            }
            stateDict.put("out_proj.weight", m.create(new float[] {1, 1, 0, 1}, new Shape(2, 2)));
            stateDict.put("out_proj.bias", m.create(new float[] {0.5f, 0}));
            PyTorchWeights.load(block, stateDict);
            NDArray x = m.create(new float[] {1, 0, 0, 1}, new Shape(1, 2, 2));
            double c = 1 / Math.sqrt(2);
            double p = Math.exp(c) / (Math.exp(c) + 1);
            float[] expected = {(float) (2.5 + p), (float) (2 - p), (float) (3.5 - p), (float) (1 + p)};
            assertThat(forward(m, block, x).toFloatArray())
                    .containsExactly(expected, org.assertj.core.data.Offset.offset(1e-6f));
        }
    }

    @ParameterizedTest
    @CsvSource({"PACKED, w.npz", "PACKED, w.safetensors", "SEPARATE, w.npz", "SEPARATE, w.safetensors"})
    void aBlockRoundTripsThroughAFile(Layout layout, String file) throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            MultiHeadAttention source = block(m, H, 1);
            MultiHeadAttention target = block(m, H, 2);
            NDArray x = normal(m, 3, 2, 5, D);
            assertThat(forward(m, target, x).contentEquals(forward(m, source, x))).isFalse();
            PyTorchWeights.save(source, layout, dir.resolve(file));
            PyTorchWeights.load(target, dir.resolve(file));
            assertThat(forward(m, target, x).contentEquals(forward(m, source, x))).isTrue();
        }
    }

    @Test
    void packedNamesStackQueryKeyValueRows() {
        try (NDManager m = NDManager.newBaseManager()) {
            MultiHeadAttention block = block(m, H, 1);
            Map<String, NDArray> packed = PyTorchWeights.stateDict(block, Layout.PACKED, m);
            assertThat(packed.keySet()).containsExactly("in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias");
            NDArray in = packed.get("in_proj_weight");
            assertThat(in.getShape()).isEqualTo(new Shape(3 * D, D));
            assertThat(in.get("{}:{}", D, 2 * D).contentEquals(block.weight(Projection.KEY))).isTrue();
            assertThat(packed.get("in_proj_bias").get("{}:", 2 * D).contentEquals(block.bias(Projection.VALUE))).isTrue();
        }
    }

    @Test
    void groupedQueryBlocksUseSeparateNamesWithKvHeadRows() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            MultiHeadAttention source = block(m, 2, 1);
            Map<String, NDArray> separate = PyTorchWeights.stateDict(source, Layout.SEPARATE, m);
            assertThat(separate.get("k_proj.weight").getShape()).isEqualTo(new Shape(2 * D / H, D)); // [kv_heads d_k, d_model]
            assertThat(separate.get("v_proj.bias").getShape()).isEqualTo(new Shape(2 * D / H));
            assertThatThrownBy(() -> PyTorchWeights.stateDict(source, Layout.PACKED, m))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kv_heads = heads")
                    .hasMessageContaining("kv_heads 2");
            MultiHeadAttention target = block(m, 2, 5);
            PyTorchWeights.save(source, Layout.SEPARATE, dir.resolve("gqa.safetensors"));
            PyTorchWeights.load(target, dir.resolve("gqa.safetensors"));
            NDArray x = normal(m, 3, 2, 5, D);
            assertThat(forward(m, target, x).contentEquals(forward(m, source, x))).isTrue();
        }
    }

    @Test
    void aMisShapedTensorIsNamedWithBothShapesAndNothingIsLoaded() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            MultiHeadAttention mha = block(m, H, 1);
            MultiHeadAttention mqa = block(m, 1, 2);
            float[] before = mqa.weight(Projection.QUERY).toFloatArray();
            Path file = dir.resolve("mha.npz");
            PyTorchWeights.save(mha, Layout.SEPARATE, file);
            assertThatThrownBy(() -> PyTorchWeights.load(mqa, file)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("mha.npz").hasMessageContaining("'k_proj.weight'")
                    .hasMessageContaining("(16, 16)").hasMessageContaining("(4, 16)")
                    .hasMessageContaining("kv_heads * d_k");
            assertThat(mqa.weight(Projection.QUERY).toFloatArray()).as("q_proj fitted, yet was not written").containsExactly(before);
        }
    }

    @Test
    void missingAndUnexpectedTensorsAreNamed() {
        try (NDManager m = NDManager.newBaseManager()) {
            MultiHeadAttention block = block(m, H, 1);
            Map<String, NDArray> stateDict = PyTorchWeights.stateDict(block, Layout.SEPARATE, m);
            NDArray kBias = stateDict.remove("k_proj.bias");
            assertThatThrownBy(() -> PyTorchWeights.load(block, stateDict)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("missing tensor 'k_proj.bias'");
            stateDict.put("k_proj.bias", kBias);
            stateDict.put("bias_k", kBias);
            assertThatThrownBy(() -> PyTorchWeights.load(block, stateDict)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("unexpected tensor 'bias_k'");
            MultiHeadAttention noBias = MultiHeadAttention.builder().setModelDim(D).setHeads(H).optBias(false).build();
            noBias.initialize(m, DataType.FLOAT32, new Shape(2, 5, D));
            assertThat(PyTorchWeights.stateDict(noBias, Layout.PACKED, m).keySet()).containsExactly("in_proj_weight", "out_proj.weight");
        }
    }

    static SequenceModel model(int kvHeads) {
        return new SequenceModel(11, 5, 8, D, 2, 24, i -> MultiHeadAttention.builder().setModelDim(D)
                .setHeads(H).optKvHeads(kvHeads).optCausal(true).optKernel(AttentionKernels.create("quadratic")).build());
    }

    @ParameterizedTest
    @CsvSource({"PACKED, model.npz, 4", "SEPARATE, model.safetensors, 1"})
    void aModelRoundTripsThroughAFileUnderPyTorchNames(Layout layout, String file, int kvHeads) throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            SequenceModel source = model(kvHeads);
            Engine.getInstance().setRandomSeed(1);
            source.initialize(m, DataType.FLOAT32, new Shape(2, 8));
            SequenceModel target = model(kvHeads);
            Engine.getInstance().setRandomSeed(2);
            target.initialize(m, DataType.FLOAT32, new Shape(2, 8));
            Map<String, NDArray> stateDict = PyTorchWeights.stateDict(source, layout, m);
            assertThat(stateDict).containsKeys("token_embedding.weight", "position_embedding.weight",
                    "layers.1.ln1.weight", "layers.1.ln2.bias", "layers.0.ffn.0.weight", "layers.0.ffn.2.bias",
                    "ln_final.weight", "head.weight", "head.bias");
            assertThat(stateDict.get("layers.0.ffn.0.weight").getShape()).isEqualTo(new Shape(24, D)); // [out, in]
            assertThat(stateDict.get("layers.1.ln2.weight").toFloatArray()).as("LayerNorm gamma starts at 1").containsOnly(1f);
            assertThat(stateDict.get("layers.1.ln2.bias").toFloatArray()).as("LayerNorm beta starts at 0").containsOnly(0f);
            String attention = layout == Layout.PACKED ? "layers.1.attention.in_proj_weight" : "layers.1.attention.k_proj.weight";
            assertThat(stateDict).containsKey(attention);
            // embeddings; 2 layers of ln1, attention, ln2, ffn; ln_final and head
            assertThat(stateDict).hasSize(2 + 2 * (2 + (layout == Layout.PACKED ? 4 : 8) + 2 + 4) + 4);
            NDArray tokens = m.randomInteger(0, 11, new Shape(2, 8), DataType.INT64);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray expected = source.forward(ps, new NDList(tokens), false).head();
            PyTorchWeights.save(source, layout, dir.resolve(file));
            PyTorchWeights.load(target, dir.resolve(file));
            assertThat(target.forward(ps, new NDList(tokens), false).head().contentEquals(expected)).isTrue();
        }
    }
}
