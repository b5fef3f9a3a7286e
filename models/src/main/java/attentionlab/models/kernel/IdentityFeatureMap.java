package attentionlab.models.kernel;

import ai.djl.ndarray.NDArray;

/**
 * phi(x) = x, so sim(q, k) = q.k: plain linear attention. The similarity can be negative and the
 * normaliser can cross zero, so {@link LinearAttentionKernel} rejects this map (homework 6a). It
 * exists to show that rejection, not to be trained.
 */
public final class IdentityFeatureMap implements FeatureMap {

    @Override
    public String name() {
        return "identity";
    }

    @Override
    public long featureDim(long d) {
        return d;
    }

    @Override
    public NDArray apply(NDArray x) {
        return x;
    }

    @Override
    public boolean nonNegative() {
        return false;
    }
}
