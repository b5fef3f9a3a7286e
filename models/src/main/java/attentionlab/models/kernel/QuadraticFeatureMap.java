package attentionlab.models.kernel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import attentionlab.models.ops.Scalars;

/**
 * The homework's minimal feature map of the quadratic kernel sim(q, k) = (q.k + 1)^2 (homework 6b-ii):
 * {@code phi(x) = [1, sqrt2 x_1 .. sqrt2 x_D, x_1^2, sqrt2 x_1 x_2, .., sqrt2 x_1 x_D, x_2^2, .., x_D^2]},
 * F = 1 + D + D(D+1)/2 features, so that phi(q) . phi(k) = 1 + 2 q.k + (q.k)^2.
 *
 * <p>With a = [1, x] (width D+1) the features are the upper triangle of a a^T, row by row, with the
 * off-diagonal entries weighted sqrt2 since each stands for both a_i a_j and a_j a_i of
 * (a_q . a_k)^2 = vec(a_q a_q^T) . vec(a_k a_k^T). Row i is one broadcast product,
 * a_i * [a_i, sqrt2 a_{i+1} .. sqrt2 a_D], and one concatenation writes the D+1 rows side by side:
 * no gather, and no D^2 intermediate. {@link OuterProductFeatureMap} keeps the whole square instead
 * (F = (D+1)^2). The similarity is a square, so it is never negative.
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
        NDArray a = OuterProductFeatureMap.augmented(x); // [..., D+1]
        NDArray scaled = Scalars.mul(a, SQRT2); // [..., D+1]
        long width = a.getShape().getLastDimension();
        NDList rows = new NDList();
        for (long i = 0; i < width; i++) {
            NDArray ai = a.get("..., {}:{}", i, i + 1); // [..., 1]
            rows.add(ai.square()); // a_i^2
            if (i + 1 < width) {
                rows.add(ai.mul(scaled.get("..., {}:", i + 1))); // [..., 1] * [..., D-i]: sqrt2 a_i a_j, j > i
            }
        }
        return NDArrays.concat(rows, -1); // [..., F]
    }
}
