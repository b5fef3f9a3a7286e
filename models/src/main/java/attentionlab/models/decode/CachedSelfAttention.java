package attentionlab.models.decode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import attentionlab.models.attention.MultiHeadAttention;
import attentionlab.models.attention.Projection;
import attentionlab.models.kernel.AttentionKernel;
import attentionlab.models.kernel.AttentionKernels;
import attentionlab.models.kernel.AttentionMask;
import attentionlab.models.kernel.LinearAttentionKernel;

/**
 * Causal self-attention for decoding, one interface for every kernel, for multi-head (g = h),
 * grouped-query (1 < g < h) and multi-query (g = 1) layers (homework 4). Query head i reads key/value
 * head i / r (r = h / g), as in {@link MultiHeadAttention}. One call appends P new tokens to a
 * {@link DecodeState} (P = 1: a decoding step; P > 1: a prompt):
 * <pre>
 *   q = x W_q^T + b_q      [B,P,h k] viewed as [B,g,r,P,k]
 *   k, v = x W_k^T + b_k, x W_v^T + b_v           [B,g,P,k], [B,g,P,v]
 *   o = attend(q; every token so far)             [B,g,r,P,v] = [B,P,h v]
 *   y = o W_o^T + b_o      [B,P,d]
 * </pre>
 * The state depends on the kernel:
 * <ul>
 *   <li>kernels that weigh keys explicitly (softmax, argmax, argmax-st, and any other that is not a
 *       {@link LinearAttentionKernel}) keep a {@link KvCache}: k and v are written into it in place, then
 *       the kernel itself attends over the n cached keys with {@link AttentionMask}'s causal offset
 *       (new query p sees cached key j iff j <= n - P + p) and the cached key padding;</li>
 *   <li>feature-map kernels ({@link LinearAttentionKernel}: quadratic, linear-elu) keep a
 *       {@link RecurrentState} [S | z], so a step costs O(g F v) time and memory whatever n is.</li>
 * </ul>
 * For a single new token every cached key is visible, so the r query heads of a group are attended
 * as r queries of their shared key/value head: each cached head is read once per step, which is
 * where multi-query saves memory traffic ({@link DecodeCost}).
 *
 * <p>Weights are W [out, in] and b [out] (DJL's and PyTorch's layout). {@link #of} decodes with the
 * very arrays of a trained {@link MultiHeadAttention} (no copy: later training is seen); the
 * {@link DecoderWeights} constructor takes the homework's einsum shapes, no biases, softmax.
 * Decoding is inference: states are updated in place, outside autograd.
 */
public final class CachedSelfAttention {

    private final DecoderDims dims;
    private final AttentionKernel kernel;
    private final NDArray[] weights; // by Projection: q [h*k, d], k [g*k, d], v [g*v, d], o [d, h*v]
    private final NDArray[] biases; // by Projection: q [h*k], k [g*k], v [g*v], o [d]; null entries without biases

    private CachedSelfAttention(DecoderDims dims, AttentionKernel kernel, NDArray[] weights, NDArray[] biases) {
        this.dims = dims;
        this.kernel = kernel;
        this.weights = weights;
        this.biases = biases;
    }

    /** Softmax decoding with the homework's weights (no biases); the weights' arrays are viewed, not copied. */
    public CachedSelfAttention(DecoderWeights weights) {
        this(weights.dims(), AttentionKernels.create("softmax"), outByIn(weights), new NDArray[4]);
    }

    /**
     * Decodes with a trained block's own weights, biases and kernel (its parameter arrays, read at
     * every step).
     *
     * @throws IllegalArgumentException if the block is not causal
     * @throws IllegalStateException if the block is not initialized
     */
    public static CachedSelfAttention of(MultiHeadAttention block) {
        if (!block.causal()) {
            throw new IllegalArgumentException("decoding needs a causal block (optCausal(true)): " + block);
        }
        DecoderDims dims = new DecoderDims(block.modelDim(), block.heads(), block.kvHeads(), block.keyDim(),
                block.valueHeadDim());
        NDArray[] weights = new NDArray[4];
        NDArray[] biases = new NDArray[4];
        for (Projection p : Projection.values()) {
            weights[p.ordinal()] = block.weight(p);
            biases[p.ordinal()] = block.bias(p);
        }
        return new CachedSelfAttention(dims, block.kernel(), weights, biases);
    }

    public DecoderDims dims() {
        return dims;
    }

    public AttentionKernel kernel() {
        return kernel;
    }

    /** Whether this kernel decodes with a {@link RecurrentState} (else with a {@link KvCache}). */
    public boolean recurrent() {
        return kernel instanceof LinearAttentionKernel;
    }

    /**
     * An empty state for {@code batch} sequences: a {@link KvCache} of {@code capacity} tokens, or a
     * {@link RecurrentState} whose size does not depend on {@code capacity}.
     */
    public DecodeState newState(NDManager manager, int batch, int capacity) {
        if (kernel instanceof LinearAttentionKernel linear) {
            long f = linear.featureMap().featureDim(dims.keyDim());
            return new RecurrentState(manager, dims, f, batch, weights[0].getDataType());
        }
        return new KvCache(manager, dims, batch, capacity, weights[0].getDataType());
    }

    /**
     * An empty KV cache for {@code batch} sequences of up to {@code capacity} tokens.
     *
     * @throws IllegalStateException for a feature-map kernel, which decodes with {@link #newState}'s
     *     recurrent state
     */
    public KvCache newCache(NDManager manager, int batch, int capacity) {
        if (recurrent()) {
            throw new IllegalStateException("kernel '" + kernel.name() + "' decodes with a recurrent state, not a KV"
                    + " cache: use newState");
        }
        return (KvCache) newState(manager, batch, capacity);
    }

    /**
     * One decoding step: appends the token to the state and attends to every token so far.
     *
     * @param x the new token [B,d]
     * @return [B,d]
     */
    public NDArray step(NDArray x, DecodeState state) {
        return step(x, null, state);
    }

    /**
     * One decoding step with key padding.
     *
     * @param x the new token [B,d]
     * @param valid [B] boolean, false where this token is padding (no later query sees it); null if none
     * @return [B,d]
     */
    public NDArray step(NDArray x, NDArray valid, DecodeState state) {
        NDArray validRows = valid == null ? null : valid.expandDims(1); // [B,1]
        return prefill(x.expandDims(1), validRows, state).squeeze(1); // [B,1,d] -> [B,d]
    }

    /**
     * Appends P tokens at once (a prompt): token p attends to the earlier tokens and to new tokens 0..p.
     * Prefill then {@link #step} equals stepping token by token.
     *
     * @param x new tokens [B,P,d]
     * @return [B,P,d]
     */
    public NDArray prefill(NDArray x, DecodeState state) {
        return prefill(x, null, state);
    }

    /**
     * Appends P tokens with key padding: equals {@link MultiHeadAttention}'s causal forward with
     * keyValid at these positions, wherever a query sees at least one real key (a query that sees
     * none gets the kernel's degenerate output: a softmax average of whatever keys it was given,
     * 0 for the linear kernels).
     *
     * @param x new tokens [B,P,d]
     * @param valid [B,P] boolean, false for padding tokens; null if none is padding
     * @return [B,P,d]
     */
    public NDArray prefill(NDArray x, NDArray valid, DecodeState state) {
        Shape s = x.getShape();
        long b = s.get(0);
        long p = s.get(1);
        int g = dims.kvHeads();
        NDArray q = project(x, Projection.QUERY).reshape(b, p, g, dims.groupSize(), dims.keyDim())
                .transpose(0, 2, 3, 1, 4); // [B,P,h*k] -> [B,g,r,P,k]
        NDArray k = project(x, Projection.KEY).reshape(b, p, g, dims.keyDim()).transpose(0, 2, 1, 3); // [B,g,P,k]
        NDArray v = project(x, Projection.VALUE).reshape(b, p, g, dims.valueDim()).transpose(0, 2, 1, 3); // [B,g,P,v]
        NDArray o = state instanceof RecurrentState recurrent
                ? attendRecurrent(q, k, v, valid, recurrent)
                : attendCached(q, k, v, valid, (KvCache) state); // [B,g,r,P,v]
        NDArray heads = o.transpose(0, 3, 1, 2, 4).reshape(b, p, (long) dims.heads() * dims.valueDim()); // [B,P,h*v]
        return project(heads, Projection.OUTPUT); // [B,P,d]
    }

    /** KV cache: write k, v in place, then the kernel attends over the n cached tokens. */
    private NDArray attendCached(NDArray q, NDArray k, NDArray v, NDArray valid, KvCache cache) {
        long p = q.getShape().get(3);
        cache.append(k, v, valid);
        NDManager owner = q.getManager();
        NDArray[] kv = cache.cached(owner); // views [B,g,n,k], [B,g,n,v]
        NDArray keyValid = cache.keyValid(owner); // [B,n] or null
        if (p == 1) {
            // One new token sees every cached key (the causal rule with one query), so the r query heads
            // of a group are attended as r queries of their key/value head.
            NDArray o = kernel.attend(q.squeeze(3), kv[0], kv[1], AttentionMask.of(false, keyValid)); // [B,g,r,v]
            return o.expandDims(3); // [B,g,r,1,v]
        }
        NDList perHead = new NDList();
        for (int j = 0; j < dims.groupSize(); j++) {
            NDArray qj = q.get(new NDIndex(":, :, {}", j)); // [B,g,P,k]
            perHead.add(kernel.attend(qj, kv[0], kv[1], AttentionMask.of(true, keyValid))); // [B,g,P,v]; sees j <= n-P+p
        }
        return NDArrays.stack(perHead, 2); // [B,g,r,P,v]
    }

    /**
     * Recurrent state. One token: [S | z] += phi(k)^T [v | 1] in place, then out = phi(q) S / phi(q) z,
     * the r query heads of a group read as r rows against their key/value head's state (no copy of the
     * state per query head). P tokens: the chunked form against the state, then the update.
     */
    private NDArray attendRecurrent(NDArray q, NDArray k, NDArray v, NDArray valid, RecurrentState state) {
        LinearAttentionKernel linear = (LinearAttentionKernel) kernel;
        int p = Math.toIntExact(q.getShape().get(3));
        NDArray phiK = linear.keyFeatures(k, valid); // [B,g,P,F], padding zeroed
        NDArray v1 = LinearAttentionKernel.withOnes(v); // [B,g,P,v+1]
        NDArray update = LinearAttentionKernel.stateOf(phiK, v1); // [B,g,F,v+1]
        if (p == 1) {
            state.absorb(update, 1);
            return linear.readOut(q.squeeze(3), state.sums()).expandDims(3); // [B,g,r,k] -> [B,g,r,v] -> [B,g,r,1,v]
        }
        NDArray o = linear.causalChunk(q, phiK.expandDims(2), v1.expandDims(2), state.sums().expandDims(2)); // [B,g,r,P,v]
        state.absorb(update, p);
        return o;
    }

    /** x W^T + b. */
    private NDArray project(NDArray x, Projection p) {
        return Linear.linear(x, weights[p.ordinal()], biases[p.ordinal()]).head();
    }

    /**
     * Reference: the causal forward pass over all N positions at once, without a state, as
     * {@link MultiHeadAttention} computes it (key/value heads copied to their query heads).
     *
     * @param x [B,N,d]
     * @return [B,N,d]
     */
    public NDArray fullForward(NDArray x) {
        Shape s = x.getShape();
        long b = s.get(0);
        long n = s.get(1);
        int r = dims.groupSize();
        NDArray q = project(x, Projection.QUERY).reshape(b, n, dims.heads(), dims.keyDim()).transpose(0, 2, 1, 3); // [B,h,N,k]
        NDArray k = project(x, Projection.KEY).reshape(b, n, dims.kvHeads(), dims.keyDim()).transpose(0, 2, 1, 3)
                .repeat(1, r); // [B,g,N,k] -> [B,h,N,k]
        NDArray v = project(x, Projection.VALUE).reshape(b, n, dims.kvHeads(), dims.valueDim()).transpose(0, 2, 1, 3)
                .repeat(1, r); // [B,g,N,v] -> [B,h,N,v]
        NDArray o = kernel.attend(q, k, v, AttentionMask.CAUSAL); // [B,h,N,v]
        NDArray heads = o.transpose(0, 2, 1, 3).reshape(b, n, (long) dims.heads() * dims.valueDim()); // [B,N,h*v]
        return project(heads, Projection.OUTPUT); // [B,N,d]
    }

    /** The homework's einsum shapes as [out, in] matrices, in {@link Projection} order: W_q, W_k, W_v, W_o. */
    private static NDArray[] outByIn(DecoderWeights w) {
        DecoderDims dims = w.dims();
        int d = dims.modelDim();
        return new NDArray[] {
            w.wq().transpose(1, 0, 2).reshape(d, (long) dims.heads() * dims.keyDim()).transpose(), // [h,d,k] -> [h*k,d]
            kvOutByIn(w.wk(), d), // [g,d,k] -> [g*k,d]
            kvOutByIn(w.wv(), d), // [g,d,v] -> [g*v,d]
            w.wo().reshape((long) dims.heads() * dims.valueDim(), d).transpose(), // [h,v,d] -> [d,h*v]
        };
    }

    private static NDArray kvOutByIn(NDArray w, int d) {
        Shape s = w.getShape();
        NDArray flat = s.dimension() == 2 ? w : w.transpose(1, 0, 2).reshape(d, s.get(0) * s.get(2)); // [d,g*k]
        return flat.transpose(); // [g*k,d]
    }
}
