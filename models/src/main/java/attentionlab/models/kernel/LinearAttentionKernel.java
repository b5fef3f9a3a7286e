package attentionlab.models.kernel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import attentionlab.models.ops.Scalars;

/**
 * Kernelized attention in linear form (homework 6b-iii), for a feature map phi with
 * sim(q, k) = phi(q) . phi(k) >= 0:
 * <pre>
 *   V'_i = phi(Q_i) (sum_j phi(K_j)^T V_j) / (phi(Q_i) sum_j phi(K_j)^T)
 * </pre>
 * The sums over keys are formed once ([F, Dv] and [F]), so no N x M matrix exists: time
 * O(N F Dv), memory O(N F + F Dv) (homework 6d; F = O(D^2) for the quadratic map). The causal
 * form replaces the sums by prefix sums over j <= i.
 *
 * <p>Guard: the denominator is sum_j sim(Q_i, K_j) >= 0. It is 0 only when every visible key has
 * sim = 0 (for the quadratic kernel, q.k = -1 for all of them); then the numerator is 0 too, and
 * dividing by max(denominator, {@value #MIN_DENOMINATOR}) returns 0 instead of NaN. Padded keys get
 * phi(K_j) = 0. A feature map whose similarity can be negative is rejected at construction, since its
 * denominator can cross 0 with a non-zero numerator (homework 6a).
 */
public final class LinearAttentionKernel implements AttentionKernel {

    /** Smallest denominator divided by; rows below it have (numerator, denominator) ~ (0, 0). */
    public static final float MIN_DENOMINATOR = 1e-6f;

    private final String name;
    private final FeatureMap featureMap;

    /**
     * @throws IllegalArgumentException if the map's similarity can be negative
     */
    public LinearAttentionKernel(String name, FeatureMap featureMap) {
        if (!featureMap.nonNegative()) {
            throw new IllegalArgumentException("kernel '" + name + "': feature map '" + featureMap.name()
                    + "' gives a similarity that can be negative; linear attention needs sim(q,k) >= 0 so that"
                    + " its normaliser sum_j sim(q,k_j) stays positive (homework 6a)");
        }
        this.name = name;
        this.featureMap = featureMap;
    }

    @Override
    public String name() {
        return name;
    }

    public FeatureMap featureMap() {
        return featureMap;
    }

    @Override
    public NDArray attend(NDArray q, NDArray k, NDArray v, AttentionMask mask) {
        NDArray phiQ = featureMap.apply(q); // [B,H,N,F]
        NDArray phiK = maskedKeyFeatures(k, mask); // [B,H,M,F]
        if (mask.causal()) {
            return causal(phiQ, phiK, v);
        }
        // A column of ones after V turns the two key sums into one product, and the numerator and the
        // denominator into another: phi(K) and phi(Q), the wide arrays, are each read once.
        long dv = v.getShape().getLastDimension();
        NDArray vOnes = NDArrays.concat(new NDList(v, v.get("..., 0:1").onesLike()), -1); // [B,H,M,Dv+1]
        NDArray kvz = phiK.transpose(0, 1, 3, 2).matMul(vOnes); // [B,H,F,M] x [B,H,M,Dv+1] -> [B,H,F,Dv+1] = [S | z]
        NDArray both = phiQ.matMul(kvz); // [B,H,N,F] x [B,H,F,Dv+1] -> [B,H,N,Dv+1]
        NDArray numerator = both.get("..., :{}", dv); // [B,H,N,Dv]
        NDArray denominator = both.get("..., {}:", dv); // [B,H,N,1]
        return numerator.div(Scalars.maximum(denominator, MIN_DENOMINATOR));
    }

    /** Prefix-sum form: S_i = sum_{j<=i} phi(K_j)^T V_j, z_i = sum_{j<=i} phi(K_j). */
    private NDArray causal(NDArray phiQ, NDArray phiK, NDArray v) {
        Shape qs = phiQ.getShape();
        if (qs.get(2) != phiK.getShape().get(2)) {
            throw new IllegalArgumentException("kernel '" + name + "': the causal linear form needs as many queries"
                    + " as keys, got " + qs.get(2) + " queries and " + phiK.getShape().get(2) + " keys");
        }
        NDArray outer = phiK.expandDims(-1).mul(v.expandDims(-2)); // [B,H,N,F,1] * [B,H,N,1,Dv] -> [B,H,N,F,Dv]
        NDArray s = outer.cumSum(2); // [B,H,N,F,Dv]
        NDArray z = phiK.cumSum(2); // [B,H,N,F]
        NDArray numerator = phiQ.expandDims(-2).matMul(s).squeeze(-2); // [B,H,N,1,F] x [B,H,N,F,Dv] -> [B,H,N,Dv]
        NDArray denominator = phiQ.mul(z).sum(new int[] {-1}, true); // [B,H,N,1]
        return numerator.div(Scalars.maximum(denominator, MIN_DENOMINATOR));
    }

    @Override
    public NDArray weights(NDArray q, NDArray k, AttentionMask mask) {
        NDArray sim = featureMap.apply(q).matMul(featureMap.apply(k).transpose(0, 1, 3, 2)); // [B,H,N,M]
        NDArray allowed = mask.allowed(q, q.getShape().get(2), k.getShape().get(2));
        if (allowed != null) {
            sim = sim.mul(allowed.toType(sim.getDataType(), false));
        }
        return sim.div(Scalars.maximum(sim.sum(new int[] {-1}, true), MIN_DENOMINATOR));
    }

    /** phi(K) with padded keys zeroed: [B,H,M,D] -> [B,H,M,F]. */
    private NDArray maskedKeyFeatures(NDArray k, AttentionMask mask) {
        NDArray phiK = featureMap.apply(k);
        if (mask.keyValid() == null) {
            return phiK;
        }
        Shape s = mask.keyValid().getShape();
        NDArray valid = mask.keyValid().toType(phiK.getDataType(), false).reshape(s.get(0), 1, s.get(1), 1);
        return phiK.mul(valid); // [B,H,M,F] * [B,1,M,1]
    }
}
