package attentionlab.models.kernel;

import ai.djl.ndarray.NDArray;
import attentionlab.models.ops.Scalars;

/** Dot-product scores shared by the softmax-family kernels. */
final class Scores {

    /** A score low enough that exp(score - max) is exactly 0 in float32, yet finite (no NaN rows). */
    static final float MASKED = -1e30f;

    private Scores() {}

    /**
     * Q K^T / divisor with masked keys set to {@link #MASKED}.
     *
     * <p>Cost: the N x M matrix is the expensive object, so it is made once and touched once more at
     * most. Q is divided before the product (N D work instead of N M), and masked keys get
     * {@link #MASKED} added, not selected: score + -1e30 rounds to exactly -1e30 in float32 for any
     * score below 1e22, and the additive mask broadcasts, so no N x M fill value or expanded mask is
     * allocated (the engine's where() does not broadcast).
     *
     * @return scores [B,H,N,M]
     */
    static NDArray masked(NDArray q, NDArray k, AttentionMask mask, double divisor) {
        NDArray scaled = divisor == 1.0 ? q : Scalars.div(q, divisor); // [B,H,N,D]
        NDArray scores = scaled.matMul(k.transpose(0, 1, 3, 2)); // [B,H,N,M]
        NDArray allowed = mask.allowed(q, q.getShape().get(2), k.getShape().get(2)); // [B|1,1,N|1,M]
        if (allowed == null) {
            return scores;
        }
        NDArray hidden = allowed.logicalNot().toType(scores.getDataType(), false); // 1 where masked
        return scores.add(Scalars.mul(hidden, MASKED)); // broadcast over the [B|1,1,N|1,M] mask
    }

    /** One-hot of the first maximum along the last axis: [..., M] -> [..., M] in the scores' type. */
    static NDArray oneHotArgmax(NDArray scores) {
        long m = scores.getShape().getLastDimension();
        NDArray index = scores.argMax(-1).expandDims(-1); // [B,H,N,1]
        NDArray positions = scores.getManager().arange(0, m, 1, index.getDataType()); // [M]
        return index.eq(positions).toType(scores.getDataType(), false); // [B,H,N,M]
    }
}
