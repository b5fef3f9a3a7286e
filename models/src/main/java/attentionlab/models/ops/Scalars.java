package attentionlab.models.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Arithmetic with a constant that stays correct under autograd and garbage collection.
 *
 * <p>Why this exists: DJL's {@code NDArray.mul(Number)} (and {@code div}, {@code pow},
 * {@code maximum}, {@code minimum}, ...) makes the constant a tensor with {@code torch::from_blob}
 * over a Java direct buffer, applies the op and closes that tensor. Autograd has saved it for the
 * backward pass (d(x/c)/dx = 1/c needs c), but the memory belongs to the Java buffer, which the
 * garbage collector frees once the closed array drops it. A backward after that collection reads
 * freed memory: the gradient of x / 2 came back as +Inf in 50 of 50 trials with a forced GC between
 * forward and backward ({@code ScalarLifetimeTest}), and under load it stopped training runs with a
 * NaN gradient in W_q's branch. The constants made here are copied into memory the engine owns.
 */
public final class Scalars {

    private Scalars() {}

    /** The 0-d array c in {@code like}'s data type, on its manager, in engine-owned memory. */
    public static NDArray of(NDArray like, double c) {
        // create(double) is float64 over a Java buffer; duplicate() clones it into engine memory. The
        // type conversion then copies or (same type) shares that engine-owned storage: both are safe.
        try (NDArray javaBacked = like.getManager().create(c); NDArray owned = javaBacked.duplicate()) {
            return owned.toType(like.getDataType(), true);
        }
    }

    /** x * c. */
    public static NDArray mul(NDArray x, double c) {
        return x.mul(of(x, c));
    }

    /** x / c. */
    public static NDArray div(NDArray x, double c) {
        return x.div(of(x, c));
    }

    /** x + c. */
    public static NDArray add(NDArray x, double c) {
        return x.add(of(x, c));
    }

    /** max(x, c) elementwise. */
    public static NDArray maximum(NDArray x, double c) {
        return x.maximum(of(x, c));
    }

    /** min(x, c) elementwise. */
    public static NDArray minimum(NDArray x, double c) {
        return x.minimum(of(x, c));
    }

    /**
     * An int64 array of these values in engine-owned memory (for gather indices that backward keeps).
     *
     * @return [values.length]
     */
    public static NDArray indices(NDManager manager, long[] values) {
        try (NDArray javaBacked = manager.create(values)) {
            return javaBacked.duplicate();
        }
    }
}
