package attentionlab.models.decode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import attentionlab.models.kernel.AttentionKernels;
import attentionlab.models.kernel.AttentionMask;
import attentionlab.models.ops.Scalars;

/**
 * Causal softmax self-attention for decoding with a {@link KvCache} (homework 4), for multi-head
 * (g = h), grouped-query (1 < g < h) and multi-query (g = 1) layers. Query head i reads key/value head
 * i / r (r = h / g). One decoding step with n - 1 cached tokens:
 * <pre>
 *   q = einsum("bd,hdk->bhk", x, W_q)                 [B,h,k]  viewed as [B,g,r,k]
 *   k_new, v_new = x W_k, x W_v                       [B,g,k], [B,g,v]   written into the cache at row n-1
 *   w = softmax(q K^T / sqrt(k))                      [B,g,r,k] x [B,g,k,n] -> [B,g,r,n]
 *   o = w V                                           [B,g,r,n] x [B,g,n,v] -> [B,g,r,v] = [B,h,v]
 *   y = einsum("bhv,hvd->bd", o, W_o)                 [B,d]
 * </pre>
 * Each of the g cached key/value heads is read once per step and shared by its r query heads, which
 * is where multi-query saves memory traffic ({@link DecodeCost}). The projections run as one matMul
 * each on weights flattened once at construction ([d, h k], [d, g k], [d, g v], [h v, d]).
 *
 * <p>{@link #fullForward} is the reference: all N positions at once, key/value heads copied to their
 * query heads, the registered {@code softmax} kernel with a causal mask.
 */
public final class CachedSelfAttention {

    /** Added to scores a query may not see: exp(-1e30 - max) is exactly 0 in float32. */
    private static final float MASKED = -1e30f;

    private final DecoderDims dims;
    private final NDArray wq; // [d, h*k]
    private final NDArray wk; // [d, g*k]
    private final NDArray wv; // [d, g*v]
    private final NDArray wo; // [h*v, d]

    /** Flattened copies of the weights are made on the weights' manager. */
    public CachedSelfAttention(DecoderWeights weights) {
        this.dims = weights.dims();
        int d = dims.modelDim();
        this.wq = weights.wq().transpose(1, 0, 2).reshape(d, (long) dims.heads() * dims.keyDim()); // [h,d,k] -> [d,h*k]
        this.wk = flattenKv(weights.wk(), d); // [g,d,k] -> [d,g*k]
        this.wv = flattenKv(weights.wv(), d); // [g,d,v] -> [d,g*v]
        this.wo = weights.wo().reshape((long) dims.heads() * dims.valueDim(), d); // [h,v,d] -> [h*v,d]
    }

    public DecoderDims dims() {
        return dims;
    }

    /** An empty cache for {@code batch} sequences of up to {@code capacity} tokens. */
    public KvCache newCache(NDManager manager, int batch, int capacity) {
        return new KvCache(manager, dims, batch, capacity);
    }

    /**
     * One decoding step: appends the token's key and value to the cache and attends to every cached token.
     *
     * @param x the new token [B,d]
     * @return [B,d]
     */
    public NDArray step(NDArray x, KvCache cache) {
        return extend(x.expandDims(1), cache).squeeze(1); // [B,1,d] -> [B,d]
    }

    /**
     * Appends P tokens at once (a prompt): token p attends to the cached tokens and to new tokens 0..p.
     * Prefill then {@link #step} equals stepping token by token.
     *
     * @param x new tokens [B,P,d]
     * @return [B,P,d]
     */
    public NDArray prefill(NDArray x, KvCache cache) {
        return extend(x, cache);
    }

    private NDArray extend(NDArray x, KvCache cache) {
        Shape s = x.getShape();
        long b = s.get(0);
        long p = s.get(1);
        int h = dims.heads();
        int g = dims.kvHeads();
        int r = dims.groupSize();
        int k = dims.keyDim();
        int v = dims.valueDim();
        int cachedBefore = cache.length();
        NDArray q = x.matMul(wq).mul(1.0 / Math.sqrt(k)) // [B,P,h*k], pre-scaled by 1/sqrt(k)
                .reshape(b, p, g, r, k).transpose(0, 2, 3, 1, 4).reshape(b, g, r * p, k); // [B,g,r*P,k]
        NDArray kNew = x.matMul(wk).reshape(b, p, g, k).transpose(0, 2, 1, 3); // [B,g,P,k]
        NDArray vNew = x.matMul(wv).reshape(b, p, g, v).transpose(0, 2, 1, 3); // [B,g,P,v]
        cache.append(kNew, vNew);
        NDArray[] kv = cache.cached(x.getManager()); // views [B,g,n,k], [B,g,n,v]
        NDArray scores = q.matMul(kv[0].transpose(0, 1, 3, 2)); // [B,g,r*P,k] x [B,g,k,n] -> [B,g,r*P,n]
        if (p > 1) {
            scores = scores.add(causalBias(x.getManager(), r, p, cachedBefore)); // masked scores -> -1e30
        }
        NDArray o = scores.softmax(-1).matMul(kv[1]); // [B,g,r*P,n] x [B,g,n,v] -> [B,g,r*P,v]
        return o.reshape(b, g, r, p, v).transpose(0, 3, 1, 2, 4).reshape(b, p, (long) h * v) // [B,P,h*v]
                .matMul(wo); // [B,P,d]
    }

    /**
     * Row (j, p) of the r*P query rows may see key i iff i <= cachedBefore + p: 0 where allowed,
     * -1e30 (exp gives exactly 0) where not, [1,1,r*P,n].
     */
    private static NDArray causalBias(NDManager m, int r, long p, int cachedBefore) {
        long n = cachedBefore + p;
        NDArray rows = m.arange(0, p, 1, DataType.INT64).reshape(1, p, 1); // [1,P,1]
        NDArray cols = m.arange(0, n, 1, DataType.INT64).reshape(1, 1, n); // [1,1,n]
        NDArray hidden = cols.gt(Scalars.add(rows, cachedBefore)).toType(DataType.FLOAT32, false); // [1,P,n]
        return Scalars.mul(hidden, MASKED).repeat(0, r).reshape(1, 1, r * p, n); // [r,P,n] -> [1,1,r*P,n]
    }

    /**
     * Reference: the causal forward pass over all N positions at once, without a cache.
     *
     * @param x [B,N,d]
     * @return [B,N,d]
     */
    public NDArray fullForward(NDArray x) {
        Shape s = x.getShape();
        long b = s.get(0);
        long n = s.get(1);
        NDArray q = x.matMul(wq).reshape(b, n, dims.heads(), dims.keyDim()).transpose(0, 2, 1, 3); // [B,h,N,k]
        NDArray k = toQueryHeads(x.matMul(wk), b, n, dims.keyDim()); // [B,h,N,k]
        NDArray v = toQueryHeads(x.matMul(wv), b, n, dims.valueDim()); // [B,h,N,v]
        NDArray o = AttentionKernels.create("softmax").attend(q, k, v, AttentionMask.CAUSAL); // [B,h,N,v]
        return o.transpose(0, 2, 1, 3).reshape(b, n, (long) dims.heads() * dims.valueDim()).matMul(wo); // [B,N,d]
    }

    /** [B,N,g*w] -> [B,h,N,w]: key/value head j copied to query heads j*r .. j*r + r-1. */
    private NDArray toQueryHeads(NDArray projected, long b, long n, int width) {
        int g = dims.kvHeads();
        int r = dims.groupSize();
        NDArray heads = projected.reshape(b, n, g, width).transpose(0, 2, 1, 3); // [B,g,N,w]
        return heads.expandDims(2).repeat(2, r).reshape(b, dims.heads(), n, width); // [B,g,r,N,w] -> [B,h,N,w]
    }

    private static NDArray flattenKv(NDArray w, int d) {
        Shape s = w.getShape();
        if (s.dimension() == 2) {
            return w; // multi-query: [d,k] already
        }
        return w.transpose(1, 0, 2).reshape(d, s.get(0) * s.get(2)); // [g,d,k] -> [d,g*k]
    }
}
