package attentionlab.models.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.transformer.ScaledDotProductAttentionBlock;
import ai.djl.training.ParameterStore;
import attentionlab.models.attention.MultiHeadAttention;
import attentionlab.models.kernel.AttentionKernels;
import attentionlab.models.reference.RelativeError;
import java.util.List;
import org.junit.jupiter.api.Test;

class SequenceModelTest {

    static SequenceModel model(String kernel, boolean causal, int layers) {
        return new SequenceModel(20, 7, 12, 16, layers, 32, i -> MultiHeadAttention.builder().setModelDim(16).setHeads(2)
                .optCausal(causal).optKernel(AttentionKernels.create(kernel)).build());
    }

    @Test
    void logitsHaveOneRowPerPositionForPlainAndFusedTokens() {
        try (NDManager m = NDManager.newBaseManager()) {
            SequenceModel model = model("softmax", false, 2);
            model.initialize(m, DataType.FLOAT32, new Shape(3, 5));
            ParameterStore ps = new ParameterStore(m, false);
            NDArray plain = m.randomInteger(0, 20, new Shape(3, 5), DataType.INT64);
            assertThat(model.forward(ps, new NDList(plain), false).head().getShape()).isEqualTo(new Shape(3, 5, 7));
            // Fused: two ids per position (e.g. key and value), embeddings summed.
            NDArray fused = m.randomInteger(0, 20, new Shape(3, 5, 2), DataType.INT64);
            assertThat(model.forward(ps, new NDList(fused), false).head().getShape()).isEqualTo(new Shape(3, 5, 7));
            List<NDArray> maps = model.attentionWeights(ps, new NDList(fused));
            assertThat(maps).hasSize(2).allSatisfy(w -> assertThat(w.getShape()).isEqualTo(new Shape(3, 2, 5, 5)));
        }
    }

    @Test
    void fusedTokensAreTheSumOfTheirEmbeddings() {
        try (NDManager m = NDManager.newBaseManager()) {
            SequenceModel model = model("softmax", false, 1);
            model.initialize(m, DataType.FLOAT32, new Shape(1, 3));
            ParameterStore ps = new ParameterStore(m, false);
            NDArray a = m.create(new long[] {1, 2, 3}).reshape(1, 3, 1);
            NDArray ab = m.create(new long[] {1, 4, 2, 4, 3, 4}).reshape(1, 3, 2);
            NDArray b = m.create(new long[] {1, 2, 3}).reshape(1, 3, 1);
            NDArray outA = model.forward(ps, new NDList(a), false).head();
            NDArray outAb = model.forward(ps, new NDList(ab), false).head();
            assertThat(RelativeError.of(outA, model.forward(ps, new NDList(b), false).head())).isZero();
            assertThat(RelativeError.of(outA, outAb)).isPositive(); // id 4 added to every position changes the result
        }
    }

    @Test
    void causalModelsIgnoreTheFuture() {
        for (String kernel : AttentionKernels.names()) {
            try (NDManager m = NDManager.newBaseManager()) {
                SequenceModel model = model(kernel, true, 2);
                model.initialize(m, DataType.FLOAT32, new Shape(1, 6));
                ParameterStore ps = new ParameterStore(m, false);
                NDArray x = m.create(new long[] {1, 5, 2, 7, 3, 9}).reshape(1, 6);
                NDArray y = m.create(new long[] {1, 5, 2, 7, 11, 0}).reshape(1, 6);
                NDArray outX = model.forward(ps, new NDList(x), false).head();
                NDArray outY = model.forward(ps, new NDList(y), false).head();
                assertThat(RelativeError.of(outX.get(":, 0:4, :"), outY.get(":, 0:4, :"))).as(kernel).isZero();
                assertThat(RelativeError.of(outX.get(":, 4:, :"), outY.get(":, 4:, :"))).as(kernel).isPositive();
            }
        }
    }

    @Test
    void tooLongSequencesAreRejected() {
        try (NDManager m = NDManager.newBaseManager()) {
            SequenceModel model = model("softmax", false, 1);
            model.initialize(m, DataType.FLOAT32, new Shape(1, 5));
            NDArray x = m.zeros(new Shape(1, 13), DataType.INT64);
            assertThatThrownBy(() -> model.forward(new ParameterStore(m, false), new NDList(x), false))
                    .hasMessageContaining("exceeds the model's max length 12");
        }
    }

    @Test
    void parameterKeysNameTheProjections() {
        try (NDManager m = NDManager.newBaseManager()) {
            SequenceModel model = model("softmax", false, 2);
            model.initialize(m, DataType.FLOAT32, new Shape(1, 5));
            List<String> keys = model.getParameters().keys();
            assertThat(keys).anyMatch(k -> k.matches("\\d\\dlayer1_\\d\\dattention_\\d\\dW_q_weight"));
            assertThat(keys).contains("token_embedding", "position_embedding");
        }
    }

    /** Any self-attention block fits: DJL's own block gives the same logits shape; only weights need ours. */
    @Test
    void hostsAnyAttentionBlockFromTheFactory() {
        try (NDManager m = NDManager.newBaseManager()) {
            SequenceModel model = new SequenceModel(20, 7, 12, 16, 2, 32, i -> ScaledDotProductAttentionBlock.builder()
                    .setEmbeddingSize(16).setHeadCount(2).optAttentionProbsDropoutProb(0f).build());
            model.initialize(m, DataType.FLOAT32, new Shape(3, 5));
            ParameterStore ps = new ParameterStore(m, false);
            NDArray tokens = m.randomInteger(0, 20, new Shape(3, 5), DataType.INT64);
            assertThat(model.forward(ps, new NDList(tokens), false).head().getShape()).isEqualTo(new Shape(3, 5, 7));
            assertThat(model.layers()).hasSize(2)
                    .allSatisfy(l -> assertThat(l.attention()).isInstanceOf(ScaledDotProductAttentionBlock.class));
            assertThatThrownBy(() -> model.attentionWeights(ps, new NDList(tokens)))
                    .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("MultiHeadAttention");
        }
    }
}
