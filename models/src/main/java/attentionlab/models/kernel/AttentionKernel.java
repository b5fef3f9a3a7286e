package attentionlab.models.kernel;

import ai.djl.ndarray.NDArray;

/**
 * The part of attention that turns per-head queries, keys and values into outputs; the projections
 * and the head split live in {@link attentionlab.models.attention.MultiHeadAttention}.
 *
 * <p>Shapes (B batch, H heads, N queries, M keys, D query/key width, Dv value width):
 * Q [B,H,N,D], K [B,H,M,D], V [B,H,M,Dv] -> [B,H,N,Dv].
 */
public interface AttentionKernel {

    /** The name this kernel is registered under in {@link AttentionKernels} (checked when it is registered). */
    String name();

    /**
     * Attends every query to the keys it may see.
     *
     * @param q queries [B,H,N,D]
     * @param k keys [B,H,M,D]
     * @param v values [B,H,M,Dv]
     * @param mask which keys each query may see
     * @return outputs [B,H,N,Dv]
     */
    NDArray attend(NDArray q, NDArray k, NDArray v, AttentionMask mask);

    /**
     * The attention weights this kernel applies, in explicit N x M form, for inspection and plots:
     * row i holds the weight query i puts on each key (rows sum to 1 where any key is visible).
     *
     * @return weights [B,H,N,M]
     */
    NDArray weights(NDArray q, NDArray k, AttentionMask mask);
}
