package attentionlab.models.kernel;

import ai.djl.ndarray.NDArray;
import attentionlab.models.ops.Scalars;

/**
 * phi(x) = elu(x) + 1 (beyond the homework; Katharopoulos et al., 2020): positive features of width
 * F = D, so linear attention costs O(N D M) instead of the quadratic map's O(N D^2 M).
 */
public final class EluFeatureMap implements FeatureMap {

    @Override
    public String name() {
        return "elu";
    }

    @Override
    public long featureDim(long d) {
        return d;
    }

    @Override
    public NDArray apply(NDArray x) {
        // elu(x) + 1 = x + 1 for x > 0, exp(x) for x <= 0
        return ai.djl.ndarray.NDArrays.where(x.gt(0), Scalars.add(x, 1), Scalars.minimum(x, 0).exp());
    }

    @Override
    public boolean nonNegative() {
        return true;
    }
}
