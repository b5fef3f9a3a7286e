package attentionlab.models.kernel;

import ai.djl.ndarray.NDArray;

/**
 * Scaled dot-product attention (homework 1c, 3a): {@code softmax(Q K^T / (s T)) V} with s = sqrt(D)
 * (or 1 when unscaled) and temperature T. Masked keys get weight exactly 0.
 *
 * <p>The softmax is smooth, so gradient reaches Q and K (and so W_q, W_k); as T -> 0 it approaches
 * {@link ArgmaxKernel} and that gradient vanishes.
 */
public final class SoftmaxKernel implements AttentionKernel {

    private final KernelOptions options;

    public SoftmaxKernel(KernelOptions options) {
        this.options = options;
    }

    @Override
    public String name() {
        return "softmax";
    }

    public KernelOptions options() {
        return options;
    }

    @Override
    public NDArray attend(NDArray q, NDArray k, NDArray v, AttentionMask mask) {
        return weights(q, k, mask).matMul(v); // [B,H,N,M] x [B,H,M,Dv] -> [B,H,N,Dv]
    }

    @Override
    public NDArray weights(NDArray q, NDArray k, AttentionMask mask) {
        return Scores.masked(q, k, mask, divisor(q)).softmax(-1);
    }

    /** s * T, with s = sqrt(D) when scaled. */
    double divisor(NDArray q) {
        double s = options.scaled() ? Math.sqrt(q.getShape().getLastDimension()) : 1.0;
        return s * options.temperature();
    }
}
