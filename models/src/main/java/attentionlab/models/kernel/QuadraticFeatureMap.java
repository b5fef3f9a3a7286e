package attentionlab.models.kernel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;

/**
 * The feature map of the quadratic kernel sim(q, k) = (q.k + 1)^2 (homework 6b-ii):
 * {@code phi(x) = [1, sqrt2 x_1 .. sqrt2 x_D, x_1^2 .. x_D^2, sqrt2 x_i x_j (i < j)]},
 * F = 1 + D + D(D+1)/2 features, so that phi(q) . phi(k) = 1 + 2 q.k + (q.k)^2.
 *
 * <p>The degree-2 block is built in one step: the pairs i <= j are listed once (row-major upper
 * triangle with its diagonal), x is gathered at both index lists, multiplied, and scaled by 1 on the
 * diagonal and sqrt2 off it. The similarity is a square, so it is never negative.
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
        int pairs = d * (d + 1) / 2;
        long[] first = new long[pairs];
        long[] second = new long[pairs];
        double[] scale = new double[pairs];
        int p = 0;
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++, p++) {
                first[p] = i;
                second[p] = j;
                scale[p] = i == j ? 1.0 : SQRT2;
            }
        }
        NDManager m = x.getManager();
        NDArray xi = x.get(new NDIndex("..., {}", m.create(first))); // [..., P]
        NDArray xj = x.get(new NDIndex("..., {}", m.create(second))); // [..., P]
        NDArray degree2 = xi.mul(xj).mul(m.create(scale).toType(x.getDataType(), false)); // [..., P]
        NDArray ones = x.get("..., 0:1").onesLike(); // [..., 1]
        return NDArrays.concat(new ai.djl.ndarray.NDList(ones, x.mul(SQRT2), degree2), -1); // [..., F]
    }
}
