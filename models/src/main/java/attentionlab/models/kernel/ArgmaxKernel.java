package attentionlab.models.kernel;

import ai.djl.ndarray.NDArray;

/**
 * Hard argmax attention (homework 2): query i returns the value of the key with the largest score,
 * {@code V'_i = V_{j*}, j* = argmax_j Q_i . K_j} (first index on ties; masked keys never win).
 *
 * <p>The one-hot weights are piecewise constant in Q and K, so backward gives Q and K, and with them
 * W_q and W_k, exactly zero gradient (homework 2b). That is the point of this kernel: do not smooth it.
 * Only V (and W_v, W_o) learn through it. Scaling and temperature do not change an argmax.
 */
public final class ArgmaxKernel implements AttentionKernel {

    @Override
    public String name() {
        return "argmax";
    }

    @Override
    public NDArray attend(NDArray q, NDArray k, NDArray v, AttentionMask mask) {
        return weights(q, k, mask).matMul(v); // one-hot [B,H,N,M] x [B,H,M,Dv]
    }

    @Override
    public NDArray weights(NDArray q, NDArray k, AttentionMask mask) {
        return Scores.oneHotArgmax(Scores.masked(q, k, mask, 1.0));
    }
}
