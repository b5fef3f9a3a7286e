package attentionlab.models.kernel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;

/** Dot-product scores shared by the softmax-family kernels. */
final class Scores {

    /** A score low enough that exp(score - max) is exactly 0 in float32, yet finite (no NaN rows). */
    static final float MASKED = -1e30f;

    private Scores() {}

    /**
     * Q K^T / divisor with masked keys set to {@link #MASKED}.
     *
     * @return scores [B,H,N,M]
     */
    static NDArray masked(NDArray q, NDArray k, AttentionMask mask, double divisor) {
        NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)); // [B,H,N,M]
        if (divisor != 1.0) {
            scores = scores.div(divisor);
        }
        NDArray allowed = mask.allowed(q, q.getShape().get(2), k.getShape().get(2));
        if (allowed == null) {
            return scores;
        }
        // The engine's where() does not broadcast: expand the [B|1,1,N|1,M] mask to the scores' shape.
        NDArray low = q.getManager().full(scores.getShape(), MASKED, scores.getDataType());
        return NDArrays.where(allowed.broadcast(scores.getShape()), scores, low);
    }

    /** One-hot of the first maximum along the last axis: [..., M] -> [..., M] in the scores' type. */
    static NDArray oneHotArgmax(NDArray scores) {
        long m = scores.getShape().getLastDimension();
        NDArray index = scores.argMax(-1).expandDims(-1); // [B,H,N,1]
        NDArray positions = scores.getManager().arange(0, m, 1, index.getDataType()); // [M]
        return index.eq(positions).toType(scores.getDataType(), false); // [B,H,N,M]
    }
}
