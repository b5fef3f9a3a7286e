package attentionlab.models.kernel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import attentionlab.models.ops.Scalars;
import java.util.function.UnaryOperator;

/**
 * What the alpha-entmax kernels share (Peters, Niculae and Martins 2019; alpha = 2 is sparsemax,
 * Martins and Astudillo 2016): on each row z of the scores,
 * <pre>
 *   entmax_alpha(z)_i = [(alpha-1) z_i - tau]_+ ^ (1/(alpha-1)),   tau chosen so that sum_i p_i = 1
 * </pre>
 * Keys with (alpha-1) z_i <= tau get weight exactly 0; the others (the support) share the mass.
 * The Jacobian is dp/dz = diag(s) - s s^T / sum(s) with s_i = p_i^(2-alpha) on the support and 0 off
 * it, so gradient reaches Q and K (and W_q, W_k) through every key of the support, none through the
 * others; a one-key support passes none, like argmax.
 *
 * <p>Scores are z = Q K^T / sqrt(D), always scaled like {@link SoftmaxKernel}'s default so the
 * kernels compare at equal score scale (temperature and the scaling switch are not read).
 *
 * <p>Every subclass works on the shifted scores X = max((alpha-1) z - max_j (alpha-1) z_j, -2) [B,H,N,M]:
 * the map is invariant to a shift, and p_max <= 1 forces tau >= X_max - 1 = -1, so a key at X <= -1
 * has weight 0 whether clipped or not. X lies in [-2, 0] with max 0, so squares and cumulative sums
 * stay small, and masked keys (score -1e30, see {@link Scores#masked}) sit at -2, strictly below any
 * threshold: even a one-key support (tau = -1) cannot tie with them. The maximum is taken without
 * gradient: by shift invariance it does not change the derivative.
 *
 * <p>Masks: masked keys get exactly 0. A row whose keys are all masked gets all-zero weights (and so
 * a zero output and zero gradient), not a distribution.
 */
abstract class EntmaxFamilyKernel implements AttentionKernel {

    private final double alpha;

    EntmaxFamilyKernel(double alpha) {
        this.alpha = alpha;
    }

    /** The alpha of this kernel, in (1, 2]. */
    public double alpha() {
        return alpha;
    }

    /**
     * The weights of each row of shifted scores.
     *
     * @param x shifted scores X [B,H,N,M], in [-2, 0] with max 0 per row
     * @return weights [B,H,N,M], rows summing to 1
     */
    abstract NDArray probabilities(NDArray x);

    @Override
    public NDArray attend(NDArray q, NDArray k, NDArray v, AttentionMask mask) {
        return weights(q, k, mask).matMul(v); // [B,H,N,M] x [B,H,M,Dv] -> [B,H,N,Dv]
    }

    @Override
    public NDArray weights(NDArray q, NDArray k, AttentionMask mask) {
        NDArray scores = Scores.masked(q, k, mask, Math.sqrt(q.getShape().getLastDimension())); // [B,H,N,M]
        NDArray x = shifted(scores);
        NDArray p = probabilities(x);
        NDArray allowed = mask.allowed(q, q.getShape().get(2), k.getShape().get(2)); // [B|1,1,N|1,M]
        // Needed only for fully masked rows (there every score is -1e30, so X = 0 and p is uniform).
        return allowed == null ? p : p.mul(allowed.toType(p.getDataType(), false));
    }

    /** X = max((alpha-1) z - max((alpha-1) z), -2) with the max detached: [B,H,N,M] -> [B,H,N,M]. */
    private NDArray shifted(NDArray scores) {
        NDArray scaled = alpha == 2 ? scores : Scalars.mul(scores, alpha - 1);
        NDArray rowMax = scaled.stopGradient().max(new int[] {-1}, true); // [B,H,N,1]
        return Scalars.maximum(scaled.sub(rowMax), -2);
    }

    /** Each row sorted from largest to smallest, differentiably: [..., M] -> [..., M]. */
    static NDArray sortedDescending(NDArray x) {
        return x.neg().sort(-1).neg();
    }

    /** The sum of each row, kept as a column: [..., M] -> [..., 1]. */
    static NDArray rowSum(NDArray x) {
        return x.sum(new int[] {-1}, true);
    }

    /** 1, 2, ..., M in {@code like}'s type, on its manager: [M]. */
    static NDArray ranks(NDArray like) {
        long m = like.getShape().getLastDimension();
        return like.getManager().arange(1f, m + 1f, 1f, like.getDataType());
    }

    /**
     * Runs {@code step} on a detached view of {@code x} in a scratch manager, so its intermediate
     * arrays are freed at once and autograd records none of it; only the result is kept.
     */
    static NDArray withoutGradient(NDArray x, UnaryOperator<NDArray> step) {
        try (NDManager scratch = x.getManager().newSubManager()) {
            NDArray fixed = x.stopGradient();
            fixed.attach(scratch);
            NDArray result = step.apply(fixed);
            result.attach(x.getManager());
            return result;
        }
    }

    /** 1 where the condition holds, 0 elsewhere, in {@code like}'s type. */
    static NDArray indicator(NDArray condition, NDArray like) {
        return condition.toType(like.getDataType(), false);
    }
}
