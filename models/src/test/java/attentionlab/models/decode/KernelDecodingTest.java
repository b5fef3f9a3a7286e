package attentionlab.models.decode;

import static attentionlab.models.reference.Samples.normal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import attentionlab.models.attention.MultiHeadAttention;
import attentionlab.models.attention.Projection;
import attentionlab.models.kernel.AttentionKernels;
import attentionlab.models.kernel.LinearAttentionKernel;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import attentionlab.models.reference.RelativeError;

/**
 * Decoding with a trained block's weights, for every registered kernel and for multi-head (G = H),
 * grouped-query and multi-query blocks, against the block's own causal forward pass at every
 * position, with biases and key padding, in float64.
 */
class KernelDecodingTest {

    private static final int D = 16;
    private static final int H = 4;
    private static final int B = 2;
    private static final int N = 9;
    private static final double TOLERANCE = 1e-9;

    static Stream<Arguments> kernelsAndKvHeads() {
        List<Arguments> cases = new ArrayList<>();
        for (String kernel : AttentionKernels.names()) {
            for (int g : new int[] {H, 2, 1}) { // MHA, GQA, MQA
                cases.add(Arguments.of(kernel, g));
            }
        }
        return cases.stream();
    }

    static MultiHeadAttention block(NDManager m, String kernel, int g) {
        MultiHeadAttention block = MultiHeadAttention.builder().setModelDim(D).setHeads(H).optKvHeads(g)
                .optKernel(AttentionKernels.create(kernel)).optCausal(true).build();
        Engine.getInstance().setRandomSeed(11);
        block.initialize(m, DataType.FLOAT64, new Shape(B, N, D));
        for (Projection p : Projection.values()) { // DJL initialises biases to 0: make them count
            NDArray bias = block.bias(p);
            bias.set(normal(m, 20 + p.ordinal(), bias.getShape().get(0)).mul(0.5).toType(DataType.FLOAT64, false).toDoubleArray());
        }
        return block;
    }

    /** Batch 0: tokens 3 and 6 are padding; batch 1: the last two. Token 0 is real in both. */
    static NDArray padding(NDManager m) {
        boolean[] valid = new boolean[B * N];
        for (int i = 0; i < N; i++) {
            valid[i] = i != 3 && i != 6;
            valid[N + i] = i < N - 2;
        }
        return m.create(valid, new Shape(B, N));
    }

    static NDArray input(NDManager m) {
        return normal(m, 7, B, N, D).toType(DataType.FLOAT64, false);
    }

    static NDArray blockForward(NDManager m, MultiHeadAttention block, NDArray x, NDArray valid) {
        return block.forward(new ParameterStore(m, false), new NDList(x, valid), false).head(); // [B,N,d]
    }

    /** Steps tokens {@code from}..N-1 through the decoder; returns their outputs [B,N-from,d]. */
    static NDArray stepFrom(int from, CachedSelfAttention decoder, NDArray x, NDArray valid, DecodeState state) {
        NDList outputs = new NDList();
        for (int t = from; t < N; t++) {
            NDIndex at = new NDIndex(":, {}", t);
            outputs.add(decoder.step(x.get(at), valid.get(at), state).expandDims(1)); // [B,1,d]
            assertThat(state.length()).isEqualTo(t + 1);
        }
        return NDArrays.concat(outputs, 1);
    }

    @ParameterizedTest(name = "{0} kv_heads={1}")
    @MethodSource("kernelsAndKvHeads")
    void decodingTokenByTokenEqualsTheBlocksCausalForwardAtEveryPosition(String kernel, int g) {
        try (NDManager m = NDManager.newBaseManager()) {
            MultiHeadAttention block = block(m, kernel, g);
            NDArray x = input(m);
            NDArray valid = padding(m);
            CachedSelfAttention decoder = CachedSelfAttention.of(block);
            try (DecodeState state = decoder.newState(m, B, N)) {
                NDArray stepped = stepFrom(0, decoder, x, valid, state); // [B,N,d]
                assertThat(RelativeError.of(stepped, blockForward(m, block, x, valid))).isLessThan(TOLERANCE);
            }
        }
    }

    @ParameterizedTest(name = "{0} kv_heads={1}")
    @MethodSource("kernelsAndKvHeads")
    void prefillThenDecodingEqualsTheBlocksCausalForward(String kernel, int g) {
        try (NDManager m = NDManager.newBaseManager()) {
            MultiHeadAttention block = block(m, kernel, g);
            NDArray x = input(m);
            NDArray valid = padding(m);
            NDArray expected = blockForward(m, block, x, valid);
            CachedSelfAttention decoder = CachedSelfAttention.of(block);
            int prompt = 5;
            try (DecodeState state = decoder.newState(m, B, N)) {
                NDArray prefilled = decoder.prefill(x.get(":, :{}", prompt), valid.get(":, :{}", prompt), state);
                NDArray stepped = stepFrom(prompt, decoder, x, valid, state);
                assertThat(RelativeError.of(NDArrays.concat(new NDList(prefilled, stepped), 1), expected)).isLessThan(TOLERANCE);
            }
            try (DecodeState state = decoder.newState(m, B, N)) {
                assertThat(RelativeError.of(decoder.prefill(x, valid, state), expected)).as("whole prompt").isLessThan(TOLERANCE);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"quadratic", "linear-elu"})
    void recurrentStateBytesDoNotDependOnTheNumberOfTokens(String kernel) {
        try (NDManager m = NDManager.newBaseManager()) {
            MultiHeadAttention block = block(m, kernel, 2);
            CachedSelfAttention decoder = CachedSelfAttention.of(block);
            assertThat(decoder.recurrent()).isTrue();
            long f = ((LinearAttentionKernel) block.kernel()).featureMap().featureDim(D / H);
            NDArray x = input(m);
            try (DecodeState small = decoder.newState(m, B, 2); DecodeState large = decoder.newState(m, B, 100_000)) {
                long expected = (long) B * 2 * f * (D / H + 1) * Double.BYTES; // [B,G,F,d_v+1] float64
                assertThat(small.sizeBytes()).isEqualTo(expected).isEqualTo(large.sizeBytes());
                decoder.step(x.get(":, 0"), small);
                long afterOne = small.usedBytes();
                for (int t = 1; t < N; t++) {
                    decoder.step(x.get(new NDIndex(":, {}", t)), small);
                }
                assertThat(small.length()).isEqualTo(N);
                assertThat(small.usedBytes()).isEqualTo(afterOne).isEqualTo(expected);
                assertThat(((RecurrentState) small).shape()).isEqualTo(new Shape(B, 2, f, D / H + 1));
            }
        }
    }

    @Test
    void multiQueryCacheHoldsOneHthOfTheMultiHeadCacheAndGrowsWithTheTokens() {
        try (NDManager m = NDManager.newBaseManager()) {
            CachedSelfAttention mha = CachedSelfAttention.of(block(m, "softmax", H));
            CachedSelfAttention mqa = CachedSelfAttention.of(block(m, "softmax", 1));
            NDArray x = input(m);
            try (DecodeState full = mha.newState(m, B, N); DecodeState shared = mqa.newState(m, B, N)) {
                assertThat(full).isInstanceOf(KvCache.class);
                assertThat(shared.sizeBytes() * H).isEqualTo(full.sizeBytes());
                assertThat(full.sizeBytes()).isEqualTo(2L * B * H * N * (D / H) * Double.BYTES);
                mqa.prefill(x.get(":, :3"), shared);
                assertThat(shared.usedBytes()).isEqualTo(shared.sizeBytes() / N * 3);
            }
        }
    }

    @Test
    void theDecoderReadsTheBlocksWeightsNotACopy() {
        try (NDManager m = NDManager.newBaseManager()) {
            MultiHeadAttention block = block(m, "softmax", 2);
            CachedSelfAttention decoder = CachedSelfAttention.of(block);
            NDArray wv = block.weight(Projection.VALUE);
            wv.set(wv.add(wv).toDoubleArray()); // training moved W_v
            NDArray x = input(m);
            NDArray valid = padding(m);
            try (DecodeState state = decoder.newState(m, B, N)) {
                assertThat(RelativeError.of(decoder.prefill(x, valid, state), blockForward(m, block, x, valid))).isLessThan(TOLERANCE);
            }
        }
    }

    @Test
    void aBlockThatIsNotCausalCannotBeDecoded() {
        try (NDManager m = NDManager.newBaseManager()) {
            MultiHeadAttention block = MultiHeadAttention.builder().setModelDim(D).setHeads(H).build();
            block.initialize(m, DataType.FLOAT32, new Shape(B, N, D));
            assertThatThrownBy(() -> CachedSelfAttention.of(block)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("causal");
        }
    }

    @Test
    void aLinearKernelHasNoKvCache() {
        try (NDManager m = NDManager.newBaseManager()) {
            CachedSelfAttention decoder = CachedSelfAttention.of(block(m, "quadratic", H));
            assertThatThrownBy(() -> decoder.newCache(m, B, N)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("newState");
        }
    }
}
