package attentionlab.models.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import attentionlab.models.attention.MultiHeadAttention;
import attentionlab.models.ops.Scalars;

/**
 * Multi-head softmax attention written as the obvious loop over heads (homework 3a), from the weights
 * of a {@link MultiHeadAttention} block (DJL's Linear stores W as [out, in] with a bias):
 * <pre>
 *   for h in 0..H-1:   g = h / (H / G), the key/value head of query head h (G = kv_heads)
 *     q = x W_q[h d_k ..]^T + b_q[..], k = x W_k[g d_k ..]^T + b_k[..], v = x W_v[g d_v ..]^T + b_v[..]
 *     head_h  = softmax(q k^T / sqrt(d_k) - 1e9 [j not visible]) v                   [B,N,d_v]
 *   output = concat_h(head_h) W_o^T + b_o                                           [B,N,d_model]
 * </pre>
 * The reference for the block with the softmax kernel at temperature 1 and biases on.
 */
public final class PerHeadAttention {

    /** Subtracted from the scores of keys a query may not see: exp of it is 0 in float32. */
    private static final float HIDDEN = 1e9f;

    private PerHeadAttention() {}

    /**
     * @param mha the block whose weights are used (causal or not, as built)
     * @param x inputs [B,N,d_model]
     * @param keyValid [B,N] boolean, false for padding; null when nothing is padded
     * @return [B,N,d_model]
     */
    public static NDArray forward(MultiHeadAttention mha, NDArray x, NDArray keyValid) {
        int heads = mha.heads();
        int dk = mha.modelDim() / heads;
        int dv = mha.valueDim() / heads;
        int perKvHead = heads / mha.kvHeads(); // query heads per key/value head
        long n = x.getShape().get(1);
        NDManager m = x.getManager();
        NDList outputs = new NDList();
        for (int h = 0; h < heads; h++) {
            NDArray q = project(mha, "W_q", x, h * dk, (h + 1) * dk); // [B,N,d_k]
            int g = h / perKvHead;
            NDArray k = project(mha, "W_k", x, g * dk, (g + 1) * dk);
            NDArray v = project(mha, "W_v", x, g * dv, (g + 1) * dv); // [B,N,d_v]
            NDArray scores = Scalars.div(q.matMul(k.transpose(0, 2, 1)), Math.sqrt(dk)); // [B,N,N]
            if (mha.causal()) {
                NDArray later = m.arange(0, n).reshape(1, n).gt(m.arange(0, n).reshape(n, 1)); // [N,N]: j > i
                scores = scores.sub(Scalars.mul(later.toType(DataType.FLOAT32, false), HIDDEN));
            }
            if (keyValid != null) {
                NDArray padded = keyValid.logicalNot().toType(DataType.FLOAT32, false).expandDims(1); // [B,1,N]
                scores = scores.sub(Scalars.mul(padded, HIDDEN));
            }
            outputs.add(scores.softmax(-1).matMul(v)); // [B,N,d_v]
        }
        NDArray wo = ParameterNames.find(mha, "W_o_weight").getArray();
        NDArray bo = ParameterNames.find(mha, "W_o_bias").getArray();
        return NDArrays.concat(outputs, -1).matMul(wo.transpose()).add(bo); // [B,N,value_dim] -> [B,N,d_model]
    }

    /** x W[from:to]^T + b[from:to]: one head's slice of a projection. */
    private static NDArray project(MultiHeadAttention mha, String w, NDArray x, int from, int to) {
        String rows = from + ":" + to;
        NDArray weight = ParameterNames.find(mha, w + "_weight").getArray().get(rows); // [w, d_model]
        NDArray bias = ParameterNames.find(mha, w + "_bias").getArray().get(rows); // [w]
        return x.matMul(weight.transpose()).add(bias);
    }
}
