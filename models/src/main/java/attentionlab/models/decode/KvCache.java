package attentionlab.models.decode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * A key/value cache preallocated for {@code capacity} tokens and written in place: keys [B,g,C,k],
 * values [B,g,C,v] (g key/value heads, so multi-query has no h factor). Appending T tokens writes
 * rows n..n+T-1 of the existing arrays; nothing is reallocated or concatenated, so a step costs the
 * new rows only, not a copy of the whole cache.
 *
 * <p>The cache owns its arrays through its own manager: close it when decoding ends.
 */
public final class KvCache implements AutoCloseable {

    private final NDManager manager;
    private final NDArray keys;
    private final NDArray values;
    private final int capacity;
    private int length;

    /**
     * @param parent manager the cache's own sub-manager is created from
     * @param dims layer sizes (g, k, v)
     * @param batch B
     * @param capacity C: the most tokens the cache can hold
     */
    public KvCache(NDManager parent, DecoderDims dims, int batch, int capacity) {
        if (batch <= 0 || capacity <= 0) {
            throw new IllegalArgumentException("cache batch and capacity must be > 0, got " + batch + ", " + capacity);
        }
        this.manager = parent.newSubManager();
        this.capacity = capacity;
        this.keys = manager.zeros(new Shape(batch, dims.kvHeads(), capacity, dims.keyDim()), DataType.FLOAT32);
        this.values = manager.zeros(new Shape(batch, dims.kvHeads(), capacity, dims.valueDim()), DataType.FLOAT32);
    }

    /** Number of cached tokens n. */
    public int length() {
        return length;
    }

    public int capacity() {
        return capacity;
    }

    /** Shape of the key storage [B,g,C,k]. */
    public Shape keyShape() {
        return keys.getShape();
    }

    /** Shape of the value storage [B,g,C,v]. */
    public Shape valueShape() {
        return values.getShape();
    }

    /** Bytes the cache holds allocated (keys + values at full capacity). */
    public long sizeBytes() {
        return (keys.size() + values.size()) * keys.getDataType().getNumOfBytes();
    }

    /** Bytes of the n tokens cached so far. */
    public long usedBytes() {
        return sizeBytes() / capacity * length;
    }

    /**
     * Writes T new tokens in place at positions n..n+T-1.
     *
     * @param k [B,g,T,k]
     * @param v [B,g,T,v]
     * @throws IllegalStateException if the cache would overflow
     */
    public void append(NDArray k, NDArray v) {
        int t = Math.toIntExact(k.getShape().get(2));
        if (length + t > capacity) {
            throw new IllegalStateException("KV cache full: " + length + " + " + t + " tokens exceed capacity " + capacity);
        }
        NDIndex rows = new NDIndex(":, :, {}:{}", length, length + t);
        keys.set(rows, k);
        values.set(rows, v);
        length += t;
    }

    /**
     * Views (no copy) of the cached keys and values, [B,g,n,k] and [B,g,n,v], owned by {@code owner}
     * so that they are released with the caller's arrays.
     */
    NDArray[] cached(NDManager owner) {
        NDIndex prefix = new NDIndex(":, :, :{}", length);
        NDArray k = keys.get(prefix);
        NDArray v = values.get(prefix);
        k.attach(owner);
        v.attach(owner);
        return new NDArray[] {k, v};
    }

    @Override
    public void close() {
        manager.close();
    }
}
