package attentionlab.models.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * One tensor of a PyTorch state dict and the parameter arrays it is made of: their rows stacked in
 * order (one array for most tensors; W_q, W_k, W_v for nn.MultiheadAttention's packed
 * {@code in_proj_weight}).
 *
 * @param name the state-dict key, e.g. {@code layers.0.attention.in_proj_weight}
 * @param parts parameter arrays, [out_i, in] or [out_i]
 * @param layout the shape in words, for error messages, e.g. {@code [3 d_model, d_model]}
 */
record StateDictEntry(String name, List<NDArray> parts, String layout) {

    /** The tensor's shape: the parts' rows added up. */
    Shape shape() {
        long[] dims = parts.get(0).getShape().getShape().clone();
        dims[0] = parts.stream().mapToLong(p -> p.getShape().get(0)).sum();
        return new Shape(dims);
    }

    /** A copy of the tensor, on the first part's manager. */
    NDArray export() {
        return parts.size() == 1 ? parts.get(0).duplicate() : NDArrays.concat(new NDList(parts), 0);
    }

    /**
     * @throws IllegalArgumentException naming the tensor and both shapes if {@code value} does not fit
     */
    void check(NDArray value) {
        if (!value.getShape().equals(shape())) {
            throw new IllegalArgumentException("tensor '" + name + "' has shape " + value.getShape()
                    + " but the model expects " + shape() + " = " + layout);
        }
    }

    /** Copies {@code value}'s rows into the parts, in place, converted to their data type. */
    void load(NDArray value) {
        long row = 0;
        for (NDArray part : parts) {
            long rows = part.getShape().get(0);
            NDArray slice = value.get(new NDIndex("{}:{}", row, row + rows)).toType(part.getDataType(), false);
            part.set(new NDIndex("..."), slice);
            row += rows;
        }
    }
}
