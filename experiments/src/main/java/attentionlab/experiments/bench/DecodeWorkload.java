package attentionlab.experiments.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import attentionlab.models.attention.MultiHeadAttention;
import attentionlab.models.decode.CachedSelfAttention;
import attentionlab.models.decode.DecodeState;
import attentionlab.models.decode.DecoderDims;
import attentionlab.models.decode.KvCache;
import attentionlab.models.kernel.AttentionKernels;

/**
 * One decoding step of a causal {@link MultiHeadAttention} block (d model width, h query heads, g
 * key/value heads, a registered kernel) through {@link CachedSelfAttention#of}, with n - 1 tokens
 * already in the state, for B sequences.
 *
 * <p>A KV cache is filled with n - 1 random keys and values, written in place by {@link KvCache#append}
 * (a softmax prefill of 32768 tokens would cost O(n^2)). A recurrent state [B,g,F,v+1] has that shape
 * whatever n, and a step's ops depend on the shape alone; it absorbs min(n - 1, {@code prefillLimit})
 * tokens by prefills of at most {@value #PREFILL_CHUNK} (the benchmark uses {@value #RECURRENT_PREFILL}, since
 * absorbing 32768 tokens of width F = 2145 would take minutes per size; the claim absorbs all n - 1). {@link #reset} restores the state to n - 1 tokens (a step appends one), so that
 * repeated steps all attend over n tokens (+ the few steps of one measurement batch).
 */
public final class DecodeWorkload implements AutoCloseable {

    /** Tokens absorbed into a recurrent state before stepping (see the class comment). */
    public static final int RECURRENT_PREFILL = 64;
    /** Tokens per prefill call when filling a recurrent state (the chunked form costs O(P^2) per call). */
    public static final int PREFILL_CHUNK = 64;

    private final NDManager manager;
    private final CachedSelfAttention decoder;
    private final int batch;
    private final int n;
    private final int spare;
    private final NDArray fillKeys;
    private final NDArray fillValues;
    private final NDArray prompt;
    private DecodeState state;

    /**
     * @param spare steps that may be taken between {@link #reset}s
     */
    public DecodeWorkload(NDManager parent, String kernel, int modelDim, int heads, int kvHeads, int batch, int n, int spare) {
        this(parent, kernel, modelDim, heads, kvHeads, batch, n, spare, RECURRENT_PREFILL);
    }

    /**
     * @param prefillLimit most tokens a recurrent state absorbs before stepping
     */
    public DecodeWorkload(NDManager parent, String kernel, int modelDim, int heads, int kvHeads, int batch, int n, int spare,
                          int prefillLimit) {
        this.manager = parent.newSubManager();
        this.batch = batch;
        this.n = n;
        this.spare = spare;
        MultiHeadAttention block = MultiHeadAttention.builder().setModelDim(modelDim).setHeads(heads).optKvHeads(kvHeads)
                .optCausal(true).optKernel(AttentionKernels.create(kernel)).build();
        block.initialize(manager, DataType.FLOAT32, new Shape(batch, 1, modelDim));
        this.decoder = CachedSelfAttention.of(block);
        DecoderDims dims = decoder.dims();
        if (decoder.recurrent()) {
            fillKeys = null;
            fillValues = null;
            prompt = n > 1 ? manager.randomNormal(new Shape(batch, Math.min(n - 1, prefillLimit), modelDim)) : null; // [B,P,d]
        } else {
            prompt = null;
            fillKeys = n > 1 ? manager.randomNormal(new Shape(batch, dims.kvHeads(), n - 1, dims.keyDim())) : null; // [B,g,n-1,k]
            fillValues = n > 1 ? manager.randomNormal(new Shape(batch, dims.kvHeads(), n - 1, dims.valueDim())) : null;
        }
        reset();
    }

    public CachedSelfAttention decoder() {
        return decoder;
    }

    /** The state as it is now. */
    public DecodeState state() {
        return state;
    }

    /** A fresh state holding n - 1 tokens. */
    public void reset() {
        if (state != null) {
            state.close();
        }
        state = decoder.newState(manager, batch, n + spare);
        if (state instanceof KvCache cache) {
            if (fillKeys != null) {
                cache.append(fillKeys, fillValues);
            }
        } else if (prompt != null) {
            long p = prompt.getShape().get(1);
            for (long from = 0; from < p; from += PREFILL_CHUNK) {
                try (NDManager tmp = manager.newSubManager()) {
                    NDArray x = prompt.get(":, {}:{}", from, Math.min(p, from + PREFILL_CHUNK));
                    x.attach(tmp);
                    decoder.prefill(x, state).attach(tmp);
                }
            }
        }
    }

    /** One step: a random token [B,d] appended, attending over every token so far; its arrays are freed. */
    public void step() {
        try (NDManager step = manager.newSubManager()) {
            decoder.step(step.randomNormal(new Shape(batch, decoder.dims().modelDim())), state);
        }
    }

    @Override
    public void close() {
        state.close();
        manager.close();
    }
}
