package attentionlab.models.kernel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import attentionlab.models.ops.Scalars;

/**
 * Which keys each query may see: an optional causal rule and optional key padding.
 *
 * <p>Causal: query i (of N) sees key j (of M) iff j <= i + (M - N), so a block of N new queries
 * appended after M - N cached keys sees exactly its prefix.
 *
 * @param causal whether queries may not see later keys
 * @param keyValid [B,M] boolean, true for real keys and false for padding; null when nothing is padded
 */
public record AttentionMask(boolean causal, NDArray keyValid) {

    /** Every query sees every key. */
    public static final AttentionMask NONE = new AttentionMask(false, null);

    /** Query i sees keys 0..i. */
    public static final AttentionMask CAUSAL = new AttentionMask(true, null);

    public static AttentionMask of(boolean causal, NDArray keyValid) {
        return causal || keyValid != null ? new AttentionMask(causal, keyValid) : NONE;
    }

    /** True when every query sees every key. */
    public boolean isEmpty() {
        return !causal && keyValid == null;
    }

    /**
     * The mask in explicit form, created on the manager of {@code like}.
     *
     * @param like any array of the batch (its manager owns the result)
     * @param n number of queries
     * @param m number of keys
     * @return boolean [B or 1, 1, N or 1, M], broadcastable against scores [B,H,N,M]; null if empty
     */
    public NDArray allowed(NDArray like, long n, long m) {
        NDArray allowed = null;
        if (causal) {
            NDArray rows = like.getManager().arange(0, n, 1, DataType.INT64).reshape(n, 1);
            NDArray cols = like.getManager().arange(0, m, 1, DataType.INT64).reshape(1, m);
            allowed = cols.lte(Scalars.add(rows, m - n)).reshape(1, 1, n, m); // [1,1,N,M]
        }
        if (keyValid != null) {
            Shape s = keyValid.getShape();
            NDArray keys = keyValid.toType(DataType.BOOLEAN, false).reshape(s.get(0), 1, 1, s.get(1)); // [B,1,1,M]
            allowed = allowed == null ? keys : allowed.logicalAnd(keys);
        }
        return allowed;
    }
}
