package attentionlab.models.stack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The model the tasks train: token embedding + learned positions, L {@link TransformerLayer}s (each
 * around an attention block from a factory), a final LayerNorm and a linear read-out to the output
 * vocabulary.
 * <pre>
 *   tokens [B,N] or [B,N,C] (C ids per position whose embeddings are summed, e.g. a key and its value)
 *   x = sum_c E[tokens_c] + P[0..N)          [B,N,d_model]
 *   x = layer_L(... layer_1(x))              [B,N,d_model]
 *   logits = LN(x) W_out                     [B,N,V_out]
 * </pre>
 * Input: {@code NDList(tokens)} or {@code NDList(tokens, keyValid [B,N])}; output {@code NDList(logits)}.
 * Embeddings are initialised N(0, 0.02).
 */
public final class SequenceModel extends AbstractBlock {

    private final int modelDim;
    private final int vocabOut;
    private final int maxLength;
    private final Parameter tokenEmbedding;
    private final Parameter positionEmbedding;
    private final List<TransformerLayer> layers = new ArrayList<>();
    private final LayerNorm finalNorm;
    private final Linear head;

    /**
     * @param vocabIn number of input token ids
     * @param vocabOut number of output classes
     * @param maxLength longest sequence N
     * @param modelDim d_model
     * @param layerCount L
     * @param ffnHidden width of each layer's feed-forward hidden layer
     * @param attentionFactory builds layer i's self-attention block, [B,N,d_model] -> [B,N,d_model]
     *     (e.g. a {@link attentionlab.models.attention.MultiHeadAttention})
     */
    public SequenceModel(int vocabIn, int vocabOut, int maxLength, int modelDim, int layerCount, int ffnHidden,
                         IntFunction<? extends Block> attentionFactory) {
        super((byte) 1);
        this.modelDim = modelDim;
        this.vocabOut = vocabOut;
        this.maxLength = maxLength;
        tokenEmbedding = addParameter(Parameter.builder().setName("token_embedding").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(vocabIn, modelDim)).optInitializer(new NormalInitializer(0.02f)).build());
        positionEmbedding = addParameter(Parameter.builder().setName("position_embedding").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(maxLength, modelDim)).optInitializer(new NormalInitializer(0.02f)).build());
        for (int i = 0; i < layerCount; i++) {
            layers.add(addChildBlock("layer" + i, new TransformerLayer(attentionFactory.apply(i), modelDim, ffnHidden)));
        }
        finalNorm = addChildBlock("ln_final", LayerNorm.builder().axis(2).build());
        head = addChildBlock("head", Linear.builder().setUnits(vocabOut).build());
    }

    public List<TransformerLayer> layers() {
        return List.copyOf(layers);
    }

    /** E [V_in, d_model]. */
    public Parameter tokenEmbedding() {
        return tokenEmbedding;
    }

    /** P [max_length, d_model]. */
    public Parameter positionEmbedding() {
        return positionEmbedding;
    }

    /** The LayerNorm before the read-out. */
    public LayerNorm finalNorm() {
        return finalNorm;
    }

    /** The read-out W_out: d_model -> V_out. */
    public Linear head() {
        return head;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = embed(ps, inputs.head(), training);
        for (TransformerLayer layer : layers) {
            x = layer.forward(ps, withMask(x, inputs), training, params).head();
        }
        x = finalNorm.forward(ps, new NDList(x), training, params).head();
        return head.forward(ps, new NDList(x), training, params); // [B,N,V_out]
    }

    /**
     * Every layer's attention weights on these inputs (inference mode), for inspection.
     *
     * @return one [B,H,N,N] array per layer
     */
    public List<NDArray> attentionWeights(ParameterStore ps, NDList inputs) {
        List<NDArray> maps = new ArrayList<>();
        NDArray x = embed(ps, inputs.head(), false);
        for (TransformerLayer layer : layers) {
            NDList in = withMask(x, inputs);
            maps.add(layer.attentionWeights(ps, in));
            x = layer.forward(ps, in, false).head();
        }
        return maps;
    }

    /** tokens [B,N] or [B,N,C] -> [B,N,d]. Ops start from the batch's arrays, so results live on its manager. */
    private NDArray embed(ParameterStore ps, NDArray tokens, boolean training) {
        long n = tokens.getShape().get(1);
        if (n > maxLength) {
            throw new IllegalArgumentException("sequence length " + n + " exceeds the model's max length " + maxLength);
        }
        NDArray ids = tokens.toType(DataType.INT64, false);
        NDArray x = Embedding.embedding(ids, ps.getValue(tokenEmbedding, tokens.getDevice(), training), SparseFormat.DENSE)
                .head(); // [B,N,d] or [B,N,C,d]
        if (x.getShape().dimension() == 4) {
            x = x.sum(new int[] {2}); // [B,N,d]
        }
        NDArray positions = tokens.getManager().arange(0, n, 1, DataType.INT64); // [N]
        NDArray p = Embedding.embedding(positions, ps.getValue(positionEmbedding, tokens.getDevice(), training),
                SparseFormat.DENSE).head(); // [N,d]
        return x.add(p);
    }

    private static NDList withMask(NDArray x, NDList inputs) {
        return inputs.size() > 1 ? new NDList(x, inputs.get(1)) : new NDList(x);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape t = inputShapes[0];
        return new Shape[] {new Shape(t.get(0), t.get(1), vocabOut)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape t = inputShapes[0];
        Shape x = new Shape(t.get(0), t.get(1), modelDim);
        for (TransformerLayer layer : layers) {
            layer.initialize(manager, dataType, x);
        }
        finalNorm.initialize(manager, dataType, x);
        head.initialize(manager, dataType, x);
    }
}
