package attentionlab.models.kernel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import attentionlab.models.ops.Scalars;

/**
 * alpha-entmax attention for any alpha in (1, 2] (option {@code alpha}; Peters, Niculae and Martins
 * 2019; beyond the homework): on each row of z = Q K^T / sqrt(D),
 * <pre>
 *   p_i = [(alpha-1) z_i - tau]_+ ^ (1/(alpha-1)),    tau such that sum_i p_i = 1
 * </pre>
 * alpha -> 1 approaches softmax, alpha = 1.5 is {@link Entmax15Kernel}, alpha = 2 {@link SparsemaxKernel}.
 *
 * <p>tau has no closed form for general alpha: bisection, on the shifted scores X (max 0, see
 * {@link EntmaxFamilyKernel}), of f(tau) = sum_i [X_i - tau]_+^(1/(alpha-1)) - 1, which decreases in tau:
 * <pre>
 *   f(-1) >= 0 (the top key alone gives 1),  f(-(1/M)^(alpha-1)) <= 0 (each of the M terms is <= 1/M)
 *   lo = -1, w = 1 - (1/M)^(alpha-1) < 1;   T times: w = w/2, lo = lo + w if f(lo + w) >= 0
 *   p = [X - lo]_+^(1/(alpha-1)) / sum_j [X_j - lo]_+^(1/(alpha-1))
 * </pre>
 * After T steps tau lies in [lo, lo + 2^-T). T is fixed by the type, 25 for float32 and 54 for
 * float64: 2^-T is then below half an ulp of the numbers in [1/2, 1), the absolute rounding error that
 * X (in [-2, 0]) and tau (in [-1, 0)) already carry at that size, so further steps would resolve tau
 * beyond what the inputs do. (SparseKernelsTest: float64 entmax at alpha = 2 and 1.5 matches the
 * closed forms to 1e-12, float32 matches float64 to 1e-5.)
 *
 * <p>Gradient: autograd through the bisection would be wrong, not merely slow: every step compares,
 * so lo is piecewise constant in X and autograd would treat tau as fixed. The bisection therefore
 * runs without gradient, and the exact Jacobian is attached by a linear surrogate with value 0:
 * <pre>
 *   p = pbar + h(X) - stopgrad(h(X)),   h(X) = (1/(alpha-1)) (s * X - s (s . X) / sum(s))
 * </pre>
 * with pbar the bisection's weights and s_i = pbar_i^(2-alpha) on the support, 0 off it (both
 * without gradient). h - stopgrad(h) is exactly 0 forward; backward, dp/dX = (1/(alpha-1))
 * (diag(s) - s s^T / sum(s)), and with dX/dz = alpha - 1 that is entmax's Jacobian. Only first
 * derivatives are right (a second derivative through the surrogate would not be); nothing here takes one.
 */
public final class EntmaxKernel extends EntmaxFamilyKernel {

    public EntmaxKernel(KernelOptions options) {
        super(options.alpha());
    }

    @Override
    public String name() {
        return "entmax";
    }

    @Override
    NDArray probabilities(NDArray x) {
        NDArray fixed = withoutGradient(x, this::bisect); // pbar [B,H,N,M]
        NDArray slopes = withoutGradient(fixed, this::slopes); // s [B,H,N,M]
        NDArray weighted = slopes.mul(x); // s * X [B,H,N,M]
        NDArray share = rowSum(weighted).div(rowSum(slopes)); // (s . X) / sum(s), sum(s) > 0 [B,H,N,1]
        NDArray linear = Scalars.mul(weighted.sub(slopes.mul(share)), 1 / (alpha() - 1)); // h(X) [B,H,N,M]
        return fixed.add(linear.sub(linear.stopGradient()));
    }

    /** The bisection's weights pbar for rows of shifted scores without gradient: [..., M] -> [..., M]. */
    private NDArray bisect(NDArray x) {
        Shape rows = x.getShape().slice(0, x.getShape().dimension() - 1).add(1); // [B,H,N,1]
        NDArray lo = x.getManager().full(rows, -1f, x.getDataType());
        double width = 1 - Math.pow(1.0 / x.getShape().getLastDimension(), alpha() - 1);
        NDArray one = Scalars.of(x, 1);
        for (int step = 0; step < iterations(x.getDataType()); step++) {
            width /= 2;
            NDArray mid = Scalars.add(lo, width);
            NDArray massAtLeastOne = rowSum(unnormalized(x, mid)).gte(one); // f(mid) >= 0
            lo = lo.add(Scalars.mul(indicator(massAtLeastOne, x), width));
        }
        NDArray p = unnormalized(x, lo);
        return p.div(rowSum(p));
    }

    /** [X - tau]_+^(1/(alpha-1)). */
    private NDArray unnormalized(NDArray x, NDArray tau) {
        return Activation.relu(x.sub(tau)).pow(Scalars.of(x, 1 / (alpha() - 1)));
    }

    /** s = p^(2-alpha) on the support (p > 0), 0 elsewhere (0^0 would be 1 at alpha = 2). */
    private NDArray slopes(NDArray p) {
        return p.pow(Scalars.of(p, 2 - alpha())).mul(indicator(p.gt(Scalars.of(p, 0)), p));
    }

    /** T: the significand bits of the type plus one (see the class comment). */
    static int iterations(DataType type) {
        return type == DataType.FLOAT64 ? 54 : 25;
    }
}
