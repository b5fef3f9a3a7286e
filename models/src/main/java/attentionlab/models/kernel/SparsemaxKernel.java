package attentionlab.models.kernel;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import attentionlab.models.ops.Scalars;

/**
 * Sparsemax attention (Martins and Astudillo 2016; beyond the homework): each row of the scores
 * z = Q K^T / sqrt(D) goes to its Euclidean projection onto the probability simplex,
 * <pre>
 *   p = argmin_{p >= 0, sum p = 1} ||p - z||^2 = [z - tau]_+        (entmax with alpha = 2)
 * </pre>
 * Computed per row on the shifted scores X of {@link EntmaxFamilyKernel} with engine ops:
 * <pre>
 *   X_(1) >= X_(2) >= ... >= X_(M)                          sort
 *   K   = #{k : 1 + k X_(k) > X_(1) + ... + X_(k)}            cumulative sum and threshold (a prefix of the ranks)
 *   tau = (X_(1) + ... + X_(K) - 1) / K,     p = [X - tau]_+
 * </pre>
 * K (the support size, >= 1) is found without gradient; tau is differentiated through the sort, so
 * autograd gives the exact Jacobian diag(1_S) - 1_S 1_S^T / K on the support S. A key exactly at the
 * threshold gets weight 0 and, through the ReLU, no gradient, consistent with K. No division by a
 * quantity that can be 0, no square root: no NaN gradient.
 */
public final class SparsemaxKernel extends EntmaxFamilyKernel {

    public SparsemaxKernel() {
        super(2.0);
    }

    @Override
    public String name() {
        return "sparsemax";
    }

    @Override
    NDArray probabilities(NDArray x) {
        NDArray sorted = sortedDescending(x); // [B,H,N,M]
        NDArray inSupport = withoutGradient(sorted, SparsemaxKernel::supportRanks); // [B,H,N,M], 1 on ranks 1..K
        NDArray tau = Scalars.add(rowSum(sorted.mul(inSupport)), -1).div(rowSum(inSupport)); // [B,H,N,1]
        return Activation.relu(x.sub(tau));
    }

    /**
     * 1 on the ranks k with 1 + k X_(k) > X_(1) + ... + X_(k) (the first K), 0 elsewhere; for sorted
     * rows without gradient.
     */
    private static NDArray supportRanks(NDArray sorted) {
        return indicator(Scalars.add(ranks(sorted).mul(sorted), 1).gt(sorted.cumSum(-1)), sorted);
    }
}
