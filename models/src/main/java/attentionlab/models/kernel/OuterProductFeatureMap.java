package attentionlab.models.kernel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;

/**
 * The full feature map of the quadratic kernel sim(q, k) = (q.k + 1)^2: with a = [1, x],
 * {@code phi(x) = vec(a a^T) = [1, x_1 .. x_D, x_1, x_1^2, x_1 x_2 .., x_D, x_D x_1 .., x_D^2]}, F = (D+1)^2,
 * so that phi(q) . phi(k) = (a_q . a_k)^2 = (q.k + 1)^2.
 *
 * <p>The same kernel as {@link QuadraticFeatureMap} with each off-diagonal pair kept twice instead of
 * once with weight sqrt2: about twice the features (so twice the work downstream and twice the
 * recurrent decoding state), built as one batched outer product with no gather or concatenation of
 * wide arrays. Not registered as a kernel; use {@code new LinearAttentionKernel("quadratic-full",
 * new OuterProductFeatureMap())}. The similarity is a square, so it is never negative.
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
        Shape s = x.getShape();
        int rank = s.dimension();
        NDArray a = augmented(x); // [..., D+1]
        NDArray square = a.expandDims(rank).mul(a.expandDims(rank - 1)); // [..., D+1, 1] * [..., 1, D+1]
        long[] flat = s.getShape().clone();
        flat[rank - 1] = featureDim(s.getLastDimension());
        return square.reshape(flat); // [..., (D+1)^2], entry i (D+1) + j = a_i a_j
    }

    /** a = [1, x]: [..., D] -> [..., D+1]. */
    static NDArray augmented(NDArray x) {
        return NDArrays.concat(new NDList(x.get("..., 0:1").onesLike(), x), -1);
    }
}
