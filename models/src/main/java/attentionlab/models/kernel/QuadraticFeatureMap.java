package attentionlab.models.kernel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import attentionlab.models.ops.Scalars;

/**
 * The feature map of the quadratic kernel sim(q, k) = (q.k + 1)^2 (homework 6b-ii):
 * {@code phi(x) = [1, sqrt2 x_1 .. sqrt2 x_D, x_1^2 .. x_D^2, sqrt2 x_i x_j (i < j)]},
 * F = 1 + D + D(D+1)/2 features, so that phi(q) . phi(k) = 1 + 2 q.k + (q.k)^2.
 *
 * <p>Built with one product and no concatenation of wide arrays: every feature is a product of two
 * entries of the narrow source s = [1, x_1 .. x_D, sqrt2 x_1 .. sqrt2 x_D] (width 1 + 2D), so
 * phi = s[a] * s[b] for two fixed index lists: (0, 0) gives 1, (0, sqrt2 x_i) gives sqrt2 x_i, and
 * the pairs i <= j of the degree-2 block, listed once (row-major upper triangle with its diagonal),
 * give x_i x_i on the diagonal and x_i (sqrt2 x_j) off it. The gathers run along the first axis (the
 * feature axis moved to the front), where each one copies whole contiguous rows; the result is
 * returned as a view with the features last. The similarity is a square, so it is never negative.
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
        int d = Math.toIntExact(x.getShape().getLastDimension());
        int f = Math.toIntExact(featureDim(d));
        long[] a = new long[f];
        long[] b = new long[f];
        int p = 1; // feature 0 = s_0 * s_0 = 1
        for (int i = 0; i < d; i++, p++) {
            b[p] = 1 + d + i; // 1 * sqrt2 x_i
        }
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++, p++) {
                a[p] = 1 + i;
                b[p] = i == j ? 1 + i : 1 + d + j; // x_i x_i, or x_i * sqrt2 x_j
            }
        }
        int rank = x.getShape().dimension();
        int[] toFront = new int[rank];
        int[] toBack = new int[rank];
        for (int axis = 0; axis < rank; axis++) {
            toFront[axis] = (axis + rank - 1) % rank; // [..., D] -> [D, ...]
            toBack[axis] = (axis + 1) % rank; // [F, ...] -> [..., F]
        }
        NDManager m = x.getManager();
        NDArray front = x.transpose(toFront); // view [D, ...]
        NDArray ones = front.get("0:1").onesLike(); // [1, ...]
        NDArray source = NDArrays.concat(new NDList(ones, front, Scalars.mul(front, SQRT2)), 0); // contiguous [1+2D, ...]
        NDArray left = source.get(new NDIndex("{}", Scalars.indices(m, a))); // [F, ...]
        NDArray right = source.get(new NDIndex("{}", Scalars.indices(m, b))); // [F, ...]
        return left.mul(right).transpose(toBack); // [..., F]
    }
}
