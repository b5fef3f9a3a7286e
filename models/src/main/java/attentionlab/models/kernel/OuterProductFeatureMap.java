package attentionlab.models.kernel;

import ai.djl.ndarray.NDArray;

/**
 * The full feature map of the quadratic kernel sim(q, k) = (q.k + 1)^2: with a = [1, x],
 * {@code phi(x) = vec(a a^T) = [1, x_1 .. x_D, x_1, x_1^2, x_1 x_2 .., x_D, x_D x_1 .., x_D^2]}, F = (D+1)^2,
 * so that phi(q) . phi(k) = (a_q . a_k)^2 = (q.k + 1)^2.
 *
 * <p>The same kernel as {@link QuadraticFeatureMap} with each off-diagonal pair kept twice instead of
 * once with weight sqrt2: about twice the features, but built as one batched outer product with no
 * gather, so it costs one write of the [.., F] result. The similarity is a square, so it is never
 * negative.
 */
public final class OuterProductFeatureMap implements FeatureMap {

    @Override
    public String name() {
        return "quadratic-full";
    }

    @Override
    public long featureDim(long d) {
        return (d + 1) * (d + 1);
    }

    @Override
    public boolean nonNegative() {
        return true;
    }

    @Override
    public NDArray apply(NDArray x) {
        return QuadraticFeatureMap.augmentedOuterProduct(x); // [..., (D+1)^2]
    }
}
