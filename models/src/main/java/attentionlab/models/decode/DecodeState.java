package attentionlab.models.decode;

/**
 * What {@link CachedSelfAttention} keeps between decoding steps for B sequences: a {@link KvCache}
 * (the keys and values of every token so far, for kernels that weigh keys explicitly: softmax, argmax,
 * argmax-st, ...) or a {@link RecurrentState} (the fixed-size sums [S | z] of linear attention).
 * Owns native memory: close it when decoding ends.
 */
public interface DecodeState extends AutoCloseable {

    /** Number of tokens absorbed so far, n. */
    int length();

    /** B: number of sequences decoded side by side. */
    int batch();

    /** Bytes this state holds allocated. */
    long sizeBytes();

    /**
     * Bytes that represent the n tokens so far: n rows of a KV cache (grows with n), the whole
     * recurrent state (independent of n).
     */
    long usedBytes();

    @Override
    void close();
}
