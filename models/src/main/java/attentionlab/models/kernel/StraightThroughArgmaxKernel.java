package attentionlab.models.kernel;

import ai.djl.ndarray.NDArray;

/**
 * Straight-through argmax (beyond the homework): the forward pass is {@link ArgmaxKernel}'s hard
 * one-hot, the backward pass is {@link SoftmaxKernel}'s gradient:
 * {@code W = onehot(argmax S) + softmax(S) - stopgrad(softmax(S))}, S = Q K^T / (s T).
 *
 * <p>The two softmax terms cancel exactly in the forward value, so outputs equal argmax attention,
 * yet W_q and W_k receive the softmax gradient and can learn.
 */
public final class StraightThroughArgmaxKernel implements AttentionKernel {

    private final SoftmaxKernel softmax;

    public StraightThroughArgmaxKernel(KernelOptions options) {
        this.softmax = new SoftmaxKernel(options);
    }

    @Override
    public String name() {
        return "argmax-st";
    }

    @Override
    public NDArray attend(NDArray q, NDArray k, NDArray v, AttentionMask mask) {
        return weights(q, k, mask).matMul(v);
    }

    @Override
    public NDArray weights(NDArray q, NDArray k, AttentionMask mask) {
        NDArray scores = Scores.masked(q, k, mask, softmax.divisor(q));
        NDArray soft = scores.softmax(-1);
        return Scores.oneHotArgmax(scores).add(soft.sub(soft.stopGradient()));
    }
}
