package attentionlab.models.kernel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import attentionlab.models.ops.Scalars;

/**
 * The homework's minimal feature map of the quadratic kernel sim(q, k) = (q.k + 1)^2 (homework 6b-ii):
 * {@code phi(x) = [1, sqrt2 x_1 .. sqrt2 x_D, x_1^2, sqrt2 x_1 x_2, .., sqrt2 x_1 x_D, x_2^2, .., x_D^2]},
 * F = 1 + D + D(D+1)/2 features, so that phi(q) . phi(k) = 1 + 2 q.k + (q.k)^2.
 *
 * <p>With a = [1, x] (width D+1), every feature is a_i a_j for one pair i <= j of the upper triangle
 * of a a^T (row-major, diagonal included), weighted 1 on the diagonal and sqrt2 off it, since the
 * pair (i, j) stands for both a_i a_j and a_j a_i of (a_q . a_k)^2 = vec(a_q a_q^T) . vec(a_k a_k^T).
 * Built as one batched outer product [.., D+1, D+1], one gather of the triangle along the last axis
 * and one product with the weights. {@link OuterProductFeatureMap} keeps the whole square instead
 * (no gather, F = (D+1)^2). The similarity is a square, so it is never negative.
 */
public final class QuadraticFeatureMap implements FeatureMap {

    private static final double SQRT2 = Math.sqrt(2.0);

    @Override
    public String name() {
        return "quadratic";
    }

    @Override
    public long featureDim(long d) {
        return 1 + d + d * (d + 1) / 2;
    }

    @Override
    public boolean nonNegative() {
        return true;
    }

    @Override
    public NDArray apply(NDArray x) {
        int a = Math.toIntExact(x.getShape().getLastDimension()) + 1;
        int f = Math.toIntExact(featureDim(a - 1));
        long[] triangle = new long[f];
        double[] weights = new double[f];
        int p = 0;
        for (int i = 0; i < a; i++) {
            for (int j = i; j < a; j++, p++) {
                triangle[p] = (long) i * a + j; // (i, j) of the row-major [D+1, D+1] square
                weights[p] = i == j ? 1.0 : SQRT2;
            }
        }
        NDArray square = augmentedOuterProduct(x); // [..., (D+1)^2]
        NDArray picked = square.get(new NDIndex("..., {}", Scalars.indices(x.getManager(), triangle))); // [..., F]
        return picked.mul(Scalars.values(x, weights)); // [..., F] * [F]
    }

    /**
     * vec(a a^T) with a = [1, x]: [..., D] -> [..., (D+1)^2], row-major, so entry i (D+1) + j is a_i a_j.
     * One narrow concatenation and one broadcast product; no wide copy.
     */
    static NDArray augmentedOuterProduct(NDArray x) {
        Shape s = x.getShape();
        int rank = s.dimension();
        long a = s.getLastDimension() + 1;
        NDArray augmented = NDArrays.concat(new NDList(x.get("..., 0:1").onesLike(), x), -1); // [..., D+1]
        NDArray square = augmented.expandDims(rank).mul(augmented.expandDims(rank - 1)); // [..., D+1, 1] * [..., 1, D+1]
        long[] flat = s.getShape().clone();
        flat[rank - 1] = a * a;
        return square.reshape(flat); // [..., (D+1)^2]
    }
}
