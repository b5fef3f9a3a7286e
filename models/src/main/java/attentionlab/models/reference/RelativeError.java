package attentionlab.models.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** The one relative-error definition of the project, for tests and claims alike. */
public final class RelativeError {

    private RelativeError() {}

    /**
     * {@code max |a - b| / max |b|}, in float64; when b is all zeros, {@code max |a - b|} (so equal
     * arrays give exactly 0 either way).
     *
     * @param a the value checked
     * @param b the reference, of a's shape (or broadcastable to it)
     */
    public static double of(NDArray a, NDArray b) {
        double diff = a.sub(b).abs().max().toType(DataType.FLOAT64, false).getDouble();
        double scale = b.abs().max().toType(DataType.FLOAT64, false).getDouble();
        return scale == 0 ? diff : diff / scale;
    }
}
