package attentionlab.models.kernel;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import attentionlab.models.ops.Scalars;

/**
 * 1.5-entmax attention (Peters, Niculae and Martins 2019; beyond the homework), halfway between
 * softmax (alpha = 1) and {@link SparsemaxKernel} (alpha = 2): on each row of z = Q K^T / sqrt(D),
 * <pre>
 *   p_i = [z_i / 2 - tau]_+ ^ 2,    tau such that sum_i p_i = 1
 * </pre>
 * Computed per row on the shifted scores X (= z/2 - max, see {@link EntmaxFamilyKernel}) with the
 * sort-based closed form (their Algorithm 2), in engine ops:
 * <pre>
 *   X_(1) >= X_(2) >= ... >= X_(M)                                          sort
 *   mu_k = (X_(1) + ... + X_(k)) / k,   ss_k = sum_{j<=k} (X_(j) - mu_k)^2       cumulative sums
 *   tau_k = mu_k - sqrt((1 - ss_k) / k)        the smaller root of sum_{j<=k} (X_(j) - tau)^2 = 1
 *   K = #{k : tau_k < X_(k)},   tau = tau_K,   p = [X - tau]_+ ^ 2             threshold
 * </pre>
 * Gradient: K is found without gradient, then tau is computed again, differentiably through the sort,
 * from the K support values only. Computing tau_k for every k and selecting k = K would send backward
 * through every k, and beyond the support 1 - ss_k can be negative (sqrt gives NaN unless clamped) or
 * exactly 0 (sqrt'(0) = inf, and the zero gradient of the unselected k gives inf * 0 = NaN; scores
 * 0, 0, -2, -2 do it at k = 4).
 * At k = K the root is safe: (1 - ss_K) / K = (mu_K - tau)^2 >= 1/K^2, because mu_K - tau is the mean
 * of sqrt(p_i) over the support and sum sqrt(p_i) >= sum p_i = 1. Autograd then gives the exact
 * Jacobian diag(s) - s s^T / sum(s), s_i = sqrt(p_i).
 *
 * <p>Precision: ss_K is computed centred (two passes); the support search uses the one-pass form
 * sum x^2 - k mu_k^2, whose rounding (about K epsilons of the type) can only misjudge a key that lies
 * that close to the threshold, whose weight [X - tau]^2 is then negligible either way.
 */
public final class Entmax15Kernel extends EntmaxFamilyKernel {

    public Entmax15Kernel() {
        super(1.5);
    }

    @Override
    public String name() {
        return "entmax15";
    }

    @Override
    NDArray probabilities(NDArray x) {
        NDArray sorted = sortedDescending(x); // [B,H,N,M]
        NDArray inSupport = withoutGradient(sorted, Entmax15Kernel::supportRanks); // [B,H,N,M], 1 on ranks 1..K
        NDArray size = rowSum(inSupport); // K [B,H,N,1]
        NDArray mean = rowSum(sorted.mul(inSupport)).div(size); // mu_K [B,H,N,1]
        NDArray spread = rowSum(sorted.sub(mean).square().mul(inSupport)); // ss_K [B,H,N,1]
        NDArray root = Scalars.add(spread.neg(), 1).div(size).sqrt(); // sqrt((1 - ss_K) / K) >= 1/K
        NDArray tau = mean.sub(root); // [B,H,N,1]
        return Activation.relu(x.sub(tau)).square();
    }

    /**
     * 1 on the ranks k with tau_k < X_(k) (the first K), 0 elsewhere; for sorted rows without gradient.
     * Strict, like sparsemax's rule: a key exactly at the threshold has weight 0 and stays out of K.
     */
    private static NDArray supportRanks(NDArray sorted) {
        NDArray k = ranks(sorted); // [M]
        NDArray sum = sorted.cumSum(-1);
        NDArray mean = sum.div(k); // mu_k
        NDArray spread = sorted.square().cumSum(-1).sub(sum.mul(mean)); // ss_k = sum x^2 - k mu_k^2
        NDArray root = Scalars.maximum(Scalars.add(spread.neg(), 1).div(k), 0).sqrt(); // 0 where no real root
        return indicator(mean.sub(root).lt(sorted), sorted);
    }
}
