package attentionlab.models.decode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The four projections of a decoding attention layer, in the homework's shapes (part 4):
 * <pre>
 *   W_q [h,d,k]   q = einsum("bd,hdk->bhk", x, W_q)
 *   W_k [d,k]     k = einsum("bd,dk->bk", x, W_k)      multi-query (g = 1)
 *       [g,d,k]   k = einsum("bd,gdk->bgk", x, W_k)    g > 1 key/value heads
 *   W_v [d,v] or [g,d,v], likewise
 *   W_o [h,v,d]   y = einsum("bhv,hvd->bd", o, W_o)
 * </pre>
 *
 * @param wq [h,d,k]
 * @param wk [d,k] when g = 1, else [g,d,k]
 * @param wv [d,v] when g = 1, else [g,d,v]
 * @param wo [h,v,d]
 */
public record DecoderWeights(NDArray wq, NDArray wk, NDArray wv, NDArray wo) {

    public DecoderWeights {
        Shape q = wq.getShape();
        Shape o = wo.getShape();
        if (q.dimension() != 3 || o.dimension() != 3) {
            throw new IllegalArgumentException("W_q must be [h,d,k] and W_o [h,v,d], got W_q " + q + ", W_o " + o);
        }
        DecoderDims dims = dimsOf(wq, wk, wv, wo);
        Shape expectedK = kvShape(dims, dims.keyDim());
        Shape expectedV = kvShape(dims, dims.valueDim());
        if (!wk.getShape().equals(expectedK) || !wv.getShape().equals(expectedV)
                || !o.equals(new Shape(dims.heads(), dims.valueDim(), dims.modelDim()))) {
            throw new IllegalArgumentException("inconsistent decoder weights: W_q " + q + ", W_k " + wk.getShape()
                    + ", W_v " + wv.getShape() + ", W_o " + o + " (expected W_k " + expectedK + ", W_v " + expectedV
                    + ", W_o " + new Shape(dims.heads(), dims.valueDim(), dims.modelDim()) + ")");
        }
    }

    /** The sizes these weights imply. */
    public DecoderDims dims() {
        return dimsOf(wq, wk, wv, wo);
    }

    /** Random N(0, 1/d) weights on {@code manager} (seed through the engine). */
    public static DecoderWeights random(NDManager manager, DecoderDims dims) {
        float std = (float) (1.0 / Math.sqrt(dims.modelDim()));
        int h = dims.heads();
        int d = dims.modelDim();
        return new DecoderWeights(
                manager.randomNormal(0, std, new Shape(h, d, dims.keyDim()), ai.djl.ndarray.types.DataType.FLOAT32),
                manager.randomNormal(0, std, kvShape(dims, dims.keyDim()), ai.djl.ndarray.types.DataType.FLOAT32),
                manager.randomNormal(0, std, kvShape(dims, dims.valueDim()), ai.djl.ndarray.types.DataType.FLOAT32),
                manager.randomNormal(0, (float) (1.0 / Math.sqrt(h * dims.valueDim())),
                        new Shape(h, dims.valueDim(), d), ai.djl.ndarray.types.DataType.FLOAT32));
    }

    /**
     * The same layer with every key/value head copied to each of its r query heads: an MHA layer
     * (g = h) that computes exactly what this one does, with r times the cache.
     */
    public DecoderWeights expandedToHeads() {
        DecoderDims dims = dims();
        int r = dims.groupSize();
        return new DecoderWeights(wq, expand(wk, dims, r), expand(wv, dims, r), wo);
    }

    /** Bytes of the four weight arrays. */
    public long bytes() {
        return (wq.size() + wk.size() + wv.size() + wo.size()) * wq.getDataType().getNumOfBytes();
    }

    private static NDArray expand(NDArray w, DecoderDims dims, int r) {
        Shape s = w.getShape();
        NDArray grouped = w.reshape(dims.kvHeads(), 1, s.get(s.dimension() - 2), s.getLastDimension()); // [g,1,d,k]
        return grouped.repeat(1, r).reshape(dims.heads(), s.get(s.dimension() - 2), s.getLastDimension()); // [h,d,k]
    }

    static Shape kvShape(DecoderDims dims, int width) {
        return dims.kvHeads() == 1
                ? new Shape(dims.modelDim(), width)
                : new Shape(dims.kvHeads(), dims.modelDim(), width);
    }

    private static DecoderDims dimsOf(NDArray wq, NDArray wk, NDArray wv, NDArray wo) {
        Shape q = wq.getShape();
        Shape k = wk.getShape();
        int g = k.dimension() == 2 ? 1 : Math.toIntExact(k.get(0));
        return new DecoderDims(Math.toIntExact(q.get(1)), Math.toIntExact(q.get(0)), g,
                Math.toIntExact(q.get(2)), Math.toIntExact(wo.getShape().get(1)));
    }
}
