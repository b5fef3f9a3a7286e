package attentionlab.models.stack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import attentionlab.models.attention.MultiHeadAttention;

/**
 * One pre-LayerNorm transformer layer, x [B,N,d_model] -> [B,N,d_model]:
 * <pre>
 *   x = x + attention(LN1(x))
 *   x = x + W_2 GELU(W_1 LN2(x))      W_1: d_model -> ffn_hidden, W_2: ffn_hidden -> d_model
 * </pre>
 * Input: {@code NDList(x)} or {@code NDList(x, keyValid [B,N])}. The attention is any self-attention
 * block [B,N,d_model] -> [B,N,d_model] (ours: {@link MultiHeadAttention}; the benchmark also hosts DJL's
 * {@code ScaledDotProductAttentionBlock}); it receives the key mask when there is one.
 */
public final class TransformerLayer extends AbstractBlock {

    private final LayerNorm norm1;
    private final Block attention;
    private final LayerNorm norm2;
    private final SequentialBlock feedForward;

    public TransformerLayer(MultiHeadAttention attention, int ffnHidden) {
        this(attention, attention.modelDim(), ffnHidden);
    }

    /**
     * @param attention a self-attention block [B,N,d_model] -> [B,N,d_model]
     * @param modelDim d_model
     * @param ffnHidden width of the feed-forward hidden layer
     */
    public TransformerLayer(Block attention, int modelDim, int ffnHidden) {
        super((byte) 1);
        norm1 = addChildBlock("ln1", LayerNorm.builder().axis(2).build());
        this.attention = addChildBlock("attention", attention);
        norm2 = addChildBlock("ln2", LayerNorm.builder().axis(2).build());
        feedForward = addChildBlock("ffn", new SequentialBlock()
                .add(Linear.builder().setUnits(ffnHidden).build())
                .add(Activation::gelu)
                .add(Linear.builder().setUnits(modelDim).build()));
    }

    public Block attention() {
        return attention;
    }

    /** LN1, before attention. */
    public LayerNorm norm1() {
        return norm1;
    }

    /** LN2, before the feed-forward block. */
    public LayerNorm norm2() {
        return norm2;
    }

    /** The feed-forward block: children 0 (W_1), 1 (GELU), 2 (W_2), as PyTorch's nn.Sequential numbers them. */
    public SequentialBlock feedForward() {
        return feedForward;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.head(); // [B,N,d]
        NDList attnIn = withMask(norm1.forward(ps, new NDList(x), training, params).head(), inputs);
        x = x.add(attention.forward(ps, attnIn, training, params).head()); // residual: [B,N,d] + [B,N,d]
        NDArray h = norm2.forward(ps, new NDList(x), training, params).head();
        x = x.add(feedForward.forward(ps, new NDList(h), training, params).head());
        return new NDList(x);
    }

    /**
     * This layer's attention weights for its input x (the residual stream), for inspection.
     *
     * @return [B,H,N,N]
     * @throws UnsupportedOperationException if the attention block is not a {@link MultiHeadAttention}
     */
    public NDArray attentionWeights(ParameterStore ps, NDList inputs) {
        if (!(attention instanceof MultiHeadAttention mha)) {
            throw new UnsupportedOperationException("attention weights need a MultiHeadAttention, not " + attention);
        }
        NDArray normed = norm1.forward(ps, new NDList(inputs.head()), false).head();
        return mha.attentionWeights(ps, withMask(normed, inputs));
    }

    private static NDList withMask(NDArray x, NDList inputs) {
        return inputs.size() > 1 ? new NDList(x, inputs.get(1)) : new NDList(x);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        norm1.initialize(manager, dataType, x);
        attention.initialize(manager, dataType, x);
        norm2.initialize(manager, dataType, x);
        feedForward.initialize(manager, dataType, x);
    }
}
