package attentionlab.models.decode;

/**
 * What one decoding step costs, counted from the shapes (homework 4f-g). A step for B sequences
 * attends over n cached tokens (including the new one); a multiply-add counts as 2 FLOPs and the
 * softmax as 4 per score (subtract max, exp, sum, divide).
 * <pre>
 *   FLOPs  = 2 B d (h k + g k + g v) + 2 B h v d      projections
 *          + 2 B h n k + 4 B h n + 2 B h n v          scores, softmax, weighted values
 *   read   = weights (d (h k + g k + g v) + h v d) + input B d + cache B g n (k + v)   elements
 *   written= new cache row B g (k + v) + output B d                                    elements
 * </pre>
 * With k = v = d / h this is O(B d^2 + B n d) compute for every g, and memory access
 * O(d^2 + B d + B n d g / h): the cache term shrinks by r = h / g, the number of query heads sharing
 * one key/value head (multi-query, g = 1: B n d / h; multi-head, g = h: B n d). Score traffic
 * (B h n written and read around the softmax) is reported apart, in {@link #scoreBytes}.
 *
 * @param flops floating-point operations of the step
 * @param weightBytes bytes of W_q, W_k, W_v, W_o read
 * @param cacheReadBytes bytes of cached keys and values read (B g n (k + v) elements)
 * @param cacheWriteBytes bytes of the new key/value row written
 * @param activationBytes bytes of the input token read and the output written
 * @param scoreBytes bytes of the B h n scores written, read, and written and read again as weights
 * @param computeOrder the homework's compute term B d^2 + B n d
 * @param memoryOrder the homework's memory term d^2 + B d + B n d g / h, in elements
 */
public record DecodeCost(
        double flops, double weightBytes, double cacheReadBytes, double cacheWriteBytes,
        double activationBytes, double scoreBytes, double computeOrder, double memoryOrder) {

    /** Bytes of a float32 element. */
    public static final int FLOAT_BYTES = 4;

    /**
     * @param dims layer sizes
     * @param batch B
     * @param n tokens attended this step (cache length after appending the new token)
     */
    public static DecodeCost ofStep(DecoderDims dims, long batch, long n) {
        double b = batch;
        double d = dims.modelDim();
        double h = dims.heads();
        double g = dims.kvHeads();
        double k = dims.keyDim();
        double v = dims.valueDim();
        double projectionFlops = 2 * b * d * (h * k + g * k + g * v) + 2 * b * h * v * d;
        double attentionFlops = 2 * b * h * n * k + 4 * b * h * n + 2 * b * h * n * v;
        double weights = d * (h * k + g * k + g * v) + h * v * d;
        return new DecodeCost(
                projectionFlops + attentionFlops,
                weights * FLOAT_BYTES,
                b * g * n * (k + v) * FLOAT_BYTES,
                b * g * (k + v) * FLOAT_BYTES,
                2 * b * d * FLOAT_BYTES,
                4 * b * h * n * FLOAT_BYTES,
                b * d * d + b * n * d,
                d * d + b * d + b * n * d * g / h);
    }

    /** Bytes read: weights, input, cache (scores excluded, see {@link #scoreBytes}). */
    public double bytesRead() {
        return weightBytes + cacheReadBytes + activationBytes / 2;
    }

    /** Bytes written: the new cache row and the output. */
    public double bytesWritten() {
        return cacheWriteBytes + activationBytes / 2;
    }

    /** FLOPs per byte moved (read + written). */
    public double arithmeticIntensity() {
        return flops / (bytesRead() + bytesWritten());
    }
}
