package attentionlab.models.decode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The state of causal linear attention for decoding (Katharopoulos et al. 2020): per sequence and
 * key/value head, S = sum_j phi(k_j) v_j^T [F, v] and z = sum_j phi(k_j) [F], kept side by side as one
 * array [S | z] [B,g,F,v+1] and updated in place, so its size does not depend on how many tokens it
 * has absorbed. A step adds the new token in place, then reads the state once for the r query heads
 * that share it: out = phi(q) S / phi(q) z
 * ({@link attentionlab.models.kernel.LinearAttentionKernel#readOut}).
 *
 * <p>Decoding only: the in-place update is not differentiable. The state owns its array through its
 * own manager: close it when decoding ends.
 */
public final class RecurrentState implements DecodeState {

    private final NDManager manager;
    private final NDArray state;
    private int length;

    /**
     * @param parent manager the state's own sub-manager is created from
     * @param dims layer sizes (g, v)
     * @param featureDim F: the feature map's width for keys of width k
     * @param batch B
     * @param dataType element type (the layer's)
     */
    public RecurrentState(NDManager parent, DecoderDims dims, long featureDim, int batch, DataType dataType) {
        if (batch <= 0) {
            throw new IllegalArgumentException("state batch must be > 0, got " + batch);
        }
        this.manager = parent.newSubManager();
        this.state = manager.zeros(new Shape(batch, dims.kvHeads(), featureDim, dims.valueDim() + 1L), dataType);
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public int batch() {
        return Math.toIntExact(state.getShape().get(0));
    }

    /** Shape of [S | z]: [B,g,F,v+1]. */
    public Shape shape() {
        return state.getShape();
    }

    @Override
    public long sizeBytes() {
        return state.size() * state.getDataType().getNumOfBytes();
    }

    /** The whole state, whatever the number of tokens. */
    @Override
    public long usedBytes() {
        return sizeBytes();
    }

    /** [S | z] [B,g,F,v+1], the array itself (read it, do not keep it). */
    NDArray sums() {
        return state;
    }

    /**
     * Adds T tokens' contribution in place.
     *
     * @param update phi(K)^T [V | 1] of the new tokens [B,g,F,v+1]
     */
    void absorb(NDArray update, int tokens) {
        state.addi(update);
        length += tokens;
    }

    @Override
    public void close() {
        manager.close();
    }
}
