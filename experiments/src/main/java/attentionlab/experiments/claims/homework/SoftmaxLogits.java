package attentionlab.experiments.claims.homework;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import attentionlab.models.kernel.AttentionKernel;
import attentionlab.models.kernel.AttentionMask;

/**
 * The logits a softmax kernel applies, read back from the weights it computes.
 *
 * <p>Softmax weights w_ij = exp(s_ij) / sum_j exp(s_ij) fix the logits up to one constant per row.
 * A zero key pins that constant: its logit is q.0 / (s T) = 0 whatever the kernel's scaling, so with
 * the keys (0, k_1 .. k_M) each logit is s_ij = log w_ij - log w_i0.
 *
 * <p>Why from the weights and not from a scores method: the weights are what {@code attend} multiplies
 * the values by, so anything between the product q.k and the normalisation (the 1/sqrt(D) scaling, the
 * temperature) is measured as the kernel applies it, through the interface every kernel has; a
 * separate entry point could disagree with the path attention takes. Needs float64 inputs (weights down
 * to e^-700 keep their logarithm); a kernel whose weights are not a softmax (zeros, one-hot) gives
 * non-finite logits, which no check accepts.
 */
final class SoftmaxLogits {

    private SoftmaxLogits() {}

    /**
     * @param q queries [B,H,N,D], float64
     * @param k keys [B,H,M,D], float64
     * @return the logits s_ij [B,H,N,M]
     */
    static NDArray of(AttentionKernel kernel, NDArray q, NDArray k) {
        if (q.getDataType() != DataType.FLOAT64 || k.getDataType() != DataType.FLOAT64) {
            throw new IllegalArgumentException("logits are read back in float64, got " + q.getDataType() + " and " + k.getDataType());
        }
        NDArray withZero = NDArrays.concat(new NDList(k.get(":, :, 0:1").zerosLike(), k), 2); // [B,H,M+1,D]
        NDArray logWeights = kernel.weights(q, withZero, AttentionMask.NONE).log(); // [B,H,N,M+1]
        return logWeights.get("..., 1:").sub(logWeights.get("..., 0:1")); // [B,H,N,M]
    }
}
