package attentionlab.models.decode;

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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Incremental decoding with a KV cache against the full causal forward pass (homework 4). */
class CachedSelfAttentionTest {

    private static final int D = 16;
    private static final int H = 4;
    private static final int B = 2;
    private static final int N = 7;
    private static final float TOLERANCE = 1e-5f;

    @BeforeEach
    void seed() {
        Engine.getInstance().setRandomSeed(5);
    }

    @ParameterizedTest(name = "g = {0}")
    @ValueSource(ints = {4, 2, 1}) // MHA, GQA, MQA
    void decodingTokenByTokenEqualsTheFullCausalForwardAtEveryPosition(int g) {
        try (NDManager m = NDManager.newBaseManager()) {
            CachedSelfAttention attention = new CachedSelfAttention(DecoderWeights.random(m, DecoderDims.of(D, H, g)));
            NDArray x = m.randomNormal(new Shape(B, N, D));
            NDArray full = attention.fullForward(x); // [B,N,d]
            NDArray stepped = decodeTokenByToken(m, attention, x);
            assertClose(stepped, full);
        }
    }

    @Test
    void multiHeadDecodingEqualsTheMultiHeadAttentionBlockWithTheSameWeights() {
        try (NDManager m = NDManager.newBaseManager()) {
            DecoderWeights w = DecoderWeights.random(m, DecoderDims.of(D, H, H));
            MultiHeadAttention block = MultiHeadAttention.builder().setModelDim(D).setHeads(H).optCausal(true)
                    .optBias(false).build();
            block.initialize(m, DataType.FLOAT32, new Shape(B, N, D));
            copyInto(block, "W_q", w.wq().transpose(1, 0, 2).reshape(D, D).transpose()); // Linear stores [out,in]
            copyInto(block, "W_k", w.wk().transpose(1, 0, 2).reshape(D, D).transpose());
            copyInto(block, "W_v", w.wv().transpose(1, 0, 2).reshape(D, D).transpose());
            copyInto(block, "W_o", w.wo().reshape(D, D).transpose());
            NDArray x = m.randomNormal(new Shape(B, N, D));
            NDArray expected = block.forward(new ParameterStore(m, false), new NDList(x), false).head();
            assertClose(decodeTokenByToken(m, new CachedSelfAttention(w), x), expected);
        }
    }

    @Test
    void multiQueryEqualsMultiHeadWithTiedKeyValueHeads() {
        try (NDManager m = NDManager.newBaseManager()) {
            DecoderWeights mqa = DecoderWeights.random(m, DecoderDims.of(D, H, 1));
            assertThat(mqa.wq().getShape()).isEqualTo(new Shape(H, D, D / H)); // W_q [h,d,q]
            assertThat(mqa.wk().getShape()).isEqualTo(new Shape(D, D / H)); // W_k [d,k]
            assertThat(mqa.wv().getShape()).isEqualTo(new Shape(D, D / H)); // W_v [d,v]
            assertThat(mqa.wo().getShape()).isEqualTo(new Shape(H, D / H, D)); // W_o [h,v,d]
            DecoderWeights tied = mqa.expandedToHeads();
            assertThat(tied.dims().variant()).isEqualTo("MHA");
            NDArray x = m.randomNormal(new Shape(B, N, D));
            assertClose(decodeTokenByToken(m, new CachedSelfAttention(mqa), x),
                    decodeTokenByToken(m, new CachedSelfAttention(tied), x));
        }
    }

    @ParameterizedTest(name = "g = {0}")
    @ValueSource(ints = {4, 2, 1})
    void prefillThenDecodingEqualsDecodingTokenByToken(int g) {
        try (NDManager m = NDManager.newBaseManager()) {
            CachedSelfAttention attention = new CachedSelfAttention(DecoderWeights.random(m, DecoderDims.of(D, H, g)));
            NDArray x = m.randomNormal(new Shape(B, N, D));
            int prompt = 4;
            List<NDArray> outputs = new ArrayList<>();
            try (KvCache cache = attention.newCache(m, B, N)) {
                outputs.add(attention.prefill(x.get(":, :{}", prompt), cache)); // [B,4,d]
                for (int t = prompt; t < N; t++) {
                    outputs.add(attention.step(x.get(":, {}", t), cache).expandDims(1));
                }
                assertThat(cache.length()).isEqualTo(N);
            }
            assertClose(NDArrays.concat(new NDList(outputs), 1), decodeTokenByToken(m, attention, x));
        }
    }

    @Test
    void prefillOfTheWholeSequenceEqualsTheFullForward() {
        try (NDManager m = NDManager.newBaseManager()) {
            CachedSelfAttention attention = new CachedSelfAttention(DecoderWeights.random(m, DecoderDims.of(D, H, 2)));
            NDArray x = m.randomNormal(new Shape(B, N, D));
            try (KvCache cache = attention.newCache(m, B, N)) {
                assertClose(attention.prefill(x, cache), attention.fullForward(x));
            }
        }
    }

    @Test
    void cacheIsPreallocatedAsBatchKvHeadsCapacityWidthAndMultiQueryHoldsOneHthOfMultiHead() {
        int capacity = 32;
        try (NDManager m = NDManager.newBaseManager();
             KvCache mha = new KvCache(m, DecoderDims.of(D, H, H), B, capacity);
             KvCache gqa = new KvCache(m, DecoderDims.of(D, H, 2), B, capacity);
             KvCache mqa = new KvCache(m, DecoderDims.of(D, H, 1), B, capacity)) {
            assertThat(mha.keyShape()).isEqualTo(new Shape(B, H, capacity, D / H));
            assertThat(gqa.keyShape()).isEqualTo(new Shape(B, 2, capacity, D / H));
            assertThat(mqa.keyShape()).isEqualTo(new Shape(B, 1, capacity, D / H));
            assertThat(mqa.valueShape()).isEqualTo(new Shape(B, 1, capacity, D / H));
            assertThat(mha.sizeBytes()).isEqualTo(2L * B * H * capacity * (D / H) * 4);
            assertThat(mqa.sizeBytes() * H).isEqualTo(mha.sizeBytes());
            assertThat(gqa.sizeBytes() * 2).isEqualTo(mha.sizeBytes());
        }
    }

    @Test
    void appendWritesRowsInPlaceAndRefusesToOverflow() {
        DecoderDims dims = DecoderDims.of(D, H, 2);
        try (NDManager m = NDManager.newBaseManager(); KvCache cache = new KvCache(m, dims, B, 3)) {
            NDArray k = m.randomNormal(new Shape(B, 2, 2, D / H));
            NDArray v = m.randomNormal(new Shape(B, 2, 2, D / H));
            cache.append(k, v);
            NDArray[] cached = cache.cached(m);
            assertThat(cached[0].getShape()).isEqualTo(new Shape(B, 2, 2, D / H));
            assertClose(cached[0], k);
            assertClose(cached[1], v);
            assertThat(cache.usedBytes() * 3).isEqualTo(cache.sizeBytes() * 2);
            assertThatThrownBy(() -> cache.append(k, v)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("capacity 3");
        }
    }

    @Test
    void costModelCountsTheBytesTheCacheHoldsAndScalesTheCacheTermByGOverH() {
        DecoderDims mhaDims = DecoderDims.of(512, 8, 8);
        DecoderDims mqaDims = mhaDims.withKvHeads(1);
        int n = 100;
        try (NDManager m = NDManager.newBaseManager(); KvCache cache = new KvCache(m, mqaDims, 8, n)) {
            cache.append(m.zeros(new Shape(8, 1, n, 64)), m.zeros(new Shape(8, 1, n, 64)));
            assertThat(DecodeCost.ofStep(mqaDims, 8, n).cacheReadBytes()).isEqualTo(cache.usedBytes());
        }
        DecodeCost mha = DecodeCost.ofStep(mhaDims, 8, n);
        DecodeCost mqa = DecodeCost.ofStep(mqaDims, 8, n);
        assertThat(mha.cacheReadBytes() / mqa.cacheReadBytes()).isEqualTo(8.0);
        // compute O(b d^2 + b n d) is the same order for both; memory O(d^2 + b d + b n d g/h)
        assertThat(mha.computeOrder()).isEqualTo(mqa.computeOrder());
        assertThat(mha.memoryOrder()).isEqualTo(512.0 * 512 + 8 * 512 + 8.0 * n * 512);
        assertThat(mqa.memoryOrder()).isEqualTo(512.0 * 512 + 8 * 512 + 8.0 * n * 512 / 8);
        // attention FLOPs 2bhn(k+v) + 4bhn do not depend on g; projections shrink with g
        assertThat(mha.flops() - mqa.flops()).isEqualTo(2.0 * 8 * 512 * (7 * 64 + 7 * 64));
    }

    @Test
    void rejectsHeadsNotDivisibleByKvHeads() {
        assertThatThrownBy(() -> DecoderDims.of(16, 4, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("h=4").hasMessageContaining("g=3");
    }

    /** Steps through x [B,N,d] one token at a time; returns [B,N,d]. */
    private static NDArray decodeTokenByToken(NDManager m, CachedSelfAttention attention, NDArray x) {
        long n = x.getShape().get(1);
        List<NDArray> outputs = new ArrayList<>();
        try (KvCache cache = attention.newCache(m, Math.toIntExact(x.getShape().get(0)), Math.toIntExact(n))) {
            for (int t = 0; t < n; t++) {
                outputs.add(attention.step(x.get(new NDIndex(":, {}", t)), cache).expandDims(1)); // [B,1,d]
                assertThat(cache.length()).isEqualTo(t + 1);
            }
        }
        return NDArrays.concat(new NDList(outputs), 1);
    }

    private static void copyInto(MultiHeadAttention block, String child, NDArray value) {
        String key = block.getChildren().keys().stream().filter(k -> k.endsWith(child)).findFirst().orElseThrow();
        NDArray weight = block.getChildren().get(key).getParameters().get("weight").getArray();
        assertThat(weight.getShape()).isEqualTo(value.getShape());
        weight.set(value.toFloatArray());
    }

    private static void assertClose(NDArray actual, NDArray expected) {
        assertThat(actual.getShape()).isEqualTo(expected.getShape());
        float maxDiff = actual.sub(expected).abs().max().getFloat();
        assertThat(maxDiff).as("max |actual - expected|").isLessThan(TOLERANCE);
    }
}
