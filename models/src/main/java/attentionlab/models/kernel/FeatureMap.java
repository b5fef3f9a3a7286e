package attentionlab.models.kernel;

import ai.djl.ndarray.NDArray;

/**
 * An explicit feature map phi with sim(q, k) = phi(q) . phi(k), so attention can run in linear form
 * (homework 6b): {@code V'_i = phi(Q_i) (sum_j phi(K_j)^T V_j) / (phi(Q_i) sum_j phi(K_j)^T)}.
 */
public interface FeatureMap {

    /** A short name used in messages. */
    String name();

    /** Feature width F for inputs of width D. */
    long featureDim(long d);

    /** phi applied to the last axis: [..., D] -> [..., F]. */
    NDArray apply(NDArray x);

    /**
     * Whether sim(q, k) >= 0 for every q, k: what linear attention needs for a well-defined,
     * positive-weight normalisation (homework 6a).
     */
    boolean nonNegative();
}
