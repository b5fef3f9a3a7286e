package attentionlab.models.reference;

import ai.djl.ndarray.NDArray;
import attentionlab.models.kernel.AttentionMask;
import attentionlab.models.ops.Scalars;

/**
 * Quadratic-kernel attention in its explicit N x M form (homework 6b), the reference for the linear
 * form of {@code AttentionKernels.create("quadratic")}:
 * <pre>
 *   W_ij = (Q_i . K_j + 1)^2 for visible keys, 0 for masked ones     [B,H,N,M]
 *   V'_i = sum_j W_ij V_j / sum_j W_ij                              [B,H,N,Dv]
 * </pre>
 */
public final class QuadraticAttention {

    private QuadraticAttention() {}

    /**
     * @param q [B,H,N,D]
     * @param k [B,H,M,D]
     * @param v [B,H,M,Dv]
     * @return [B,H,N,Dv]
     */
    public static NDArray forward(NDArray q, NDArray k, NDArray v, AttentionMask mask) {
        NDArray sim = Scalars.add(q.matMul(k.transpose(0, 1, 3, 2)), 1).square(); // [B,H,N,M]
        NDArray allowed = mask.allowed(q, q.getShape().get(2), k.getShape().get(2));
        if (allowed != null) {
            sim = sim.mul(allowed.toType(sim.getDataType(), false));
        }
        return sim.div(sim.sum(new int[] {-1}, true)).matMul(v); // [B,H,N,M] x [B,H,M,Dv]
    }
}
