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
 * new rows only, not a copy of the whole cache. When a token is padding (see
 * {@link #append(NDArray, NDArray, NDArray)}) the cache also keeps a key mask [B,C], allocated at the
 * first append that passes one.
 *
 * <p>The cache owns its arrays through its own manager: close it when decoding ends.
 */
public final class KvCache implements DecodeState {

    private final NDManager manager;
    private final NDArray keys;
    private final NDArray values;
    private final int capacity;
    private NDArray keyValid; // [B,C] boolean, null until an append passes a mask
    private int length;

    /** A float32 cache. */
    public KvCache(NDManager parent, DecoderDims dims, int batch, int capacity) {
        this(parent, dims, batch, capacity, DataType.FLOAT32);
    }

    /**
     * @param parent manager the cache's own sub-manager is created from
     * @param dims layer sizes (g, k, v)
     * @param batch B
     * @param capacity C: the most tokens the cache can hold
     * @param dataType element type of keys and values (the layer's)
     */
    public KvCache(NDManager parent, DecoderDims dims, int batch, int capacity, DataType dataType) {
        if (batch <= 0 || capacity <= 0) {
            throw new IllegalArgumentException("cache batch and capacity must be > 0, got " + batch + ", " + capacity);
        }
        this.manager = parent.newSubManager();
        this.capacity = capacity;
        this.keys = manager.zeros(new Shape(batch, dims.kvHeads(), capacity, dims.keyDim()), dataType);
        this.values = manager.zeros(new Shape(batch, dims.kvHeads(), capacity, dims.valueDim()), dataType);
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public int batch() {
        return Math.toIntExact(keys.getShape().get(0));
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

    /** Bytes the cache holds allocated: keys + values at full capacity, plus the key mask once used. */
    @Override
    public long sizeBytes() {
        long mask = keyValid == null ? 0 : keyValid.size();
        return (keys.size() + values.size()) * keys.getDataType().getNumOfBytes() + mask;
    }

    /** Bytes of the n tokens cached so far. */
    @Override
    public long usedBytes() {
        return sizeBytes() / capacity * length;
    }

    /**
     * Writes T new tokens in place at positions n..n+T-1, none of them padding.
     *
     * @param k [B,g,T,k]
     * @param v [B,g,T,v]
     * @throws IllegalStateException if the cache would overflow
     */
    public void append(NDArray k, NDArray v) {
        append(k, v, null);
    }

    /**
     * Writes T new tokens in place at positions n..n+T-1.
     *
     * @param k [B,g,T,k]
     * @param v [B,g,T,v]
     * @param valid [B,T] boolean, false for padding tokens that no query may see; null if none is padding
     * @throws IllegalStateException if the cache would overflow
     */
    public void append(NDArray k, NDArray v, NDArray valid) {
        int t = Math.toIntExact(k.getShape().get(2));
        if (length + t > capacity) {
            throw new IllegalStateException("KV cache full: " + length + " + " + t + " tokens exceed capacity " + capacity);
        }
        NDIndex rows = new NDIndex(":, :, {}:{}", length, length + t);
        keys.set(rows, k);
        values.set(rows, v);
        if (valid != null) {
            if (keyValid == null) {
                keyValid = manager.ones(new Shape(batch(), capacity), DataType.BOOLEAN); // earlier tokens were real
            }
            keyValid.set(new NDIndex(":, {}:{}", length, length + t), valid.toType(DataType.BOOLEAN, false));
        }
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

    /** View [B,n] of which cached tokens are real, owned by {@code owner}; null when none was padding. */
    NDArray keyValid(NDManager owner) {
        if (keyValid == null) {
            return null;
        }
        NDArray valid = keyValid.get(new NDIndex(":, :{}", length));
        valid.attach(owner);
        return valid;
    }

    @Override
    public void close() {
        manager.close();
    }
}
