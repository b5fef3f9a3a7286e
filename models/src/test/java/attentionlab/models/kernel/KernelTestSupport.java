package attentionlab.models.kernel;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/** Seeded random inputs and the explicit N x M reference that fast forms are checked against. */
public final class KernelTestSupport {

    private KernelTestSupport() {}

    public static NDArray normal(NDManager m, long seed, long... shape) {
        Engine.getInstance().setRandomSeed((int) seed);
        return m.randomNormal(new Shape(shape));
    }

    /**
     * The obvious N x M form of kernelized attention: sim(q,k) = (q.k + 1)^2 for every pair, masked,
     * normalised per row, times V.
     */
    public static NDArray quadraticReference(NDArray q, NDArray k, NDArray v, AttentionMask mask) {
        NDArray sim = q.matMul(k.transpose(0, 1, 3, 2)).add(1).square(); // [B,H,N,M]
        NDArray allowed = mask.allowed(q, q.getShape().get(2), k.getShape().get(2));
        if (allowed != null) {
            sim = sim.mul(allowed.toType(sim.getDataType(), false));
        }
        return sim.matMul(v).div(sim.sum(new int[] {-1}, true));
    }

    /** max |a - b| / max(1, max |b|). */
    public static double relativeError(NDArray a, NDArray b) {
        double scale = Math.max(1.0, b.abs().max().toType(DataType.FLOAT64, false).getDouble());
        return a.sub(b).abs().max().toType(DataType.FLOAT64, false).getDouble() / scale;
    }
}
