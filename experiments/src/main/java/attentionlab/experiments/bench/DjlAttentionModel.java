package attentionlab.experiments.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.nn.transformer.ScaledDotProductAttentionBlock;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * The peer of {@link attentionlab.models.stack.SequenceModel} for {@link TrainBenchmark}: the same
 * embeddings, pre-LayerNorm layers, GELU feed-forward, final LayerNorm and read-out, with DJL's own
 * {@link ScaledDotProductAttentionBlock} (dropout 0) in place of our MultiHeadAttention.
 * tokens [B,N] -> logits [B,N,V_out].
 */
final class DjlAttentionModel extends AbstractBlock {

    private final int modelDim;
    private final int vocabOut;
    private final Parameter tokenEmbedding;
    private final Parameter positionEmbedding;
    private final List<Block[]> layers = new ArrayList<>(); // {ln1, attention, ln2, ffn}
    private final LayerNorm finalNorm;
    private final Linear head;

    DjlAttentionModel(int vocabIn, int vocabOut, int maxLength, int modelDim, int heads, int layerCount, int ffnHidden) {
        super((byte) 1);
        this.modelDim = modelDim;
        this.vocabOut = vocabOut;
        tokenEmbedding = addParameter(Parameter.builder().setName("token_embedding").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(vocabIn, modelDim)).optInitializer(new NormalInitializer(0.02f)).build());
        positionEmbedding = addParameter(Parameter.builder().setName("position_embedding").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(maxLength, modelDim)).optInitializer(new NormalInitializer(0.02f)).build());
        for (int i = 0; i < layerCount; i++) {
            layers.add(new Block[] {
                addChildBlock("layer" + i + "_ln1", LayerNorm.builder().axis(2).build()),
                addChildBlock("layer" + i + "_attention", ScaledDotProductAttentionBlock.builder().setEmbeddingSize(modelDim)
                        .setHeadCount(heads).optAttentionProbsDropoutProb(0f).build()),
                addChildBlock("layer" + i + "_ln2", LayerNorm.builder().axis(2).build()),
                addChildBlock("layer" + i + "_ffn", new SequentialBlock()
                        .add(Linear.builder().setUnits(ffnHidden).build())
                        .add(Activation::gelu)
                        .add(Linear.builder().setUnits(modelDim).build()))
            });
        }
        finalNorm = addChildBlock("ln_final", LayerNorm.builder().axis(2).build());
        head = addChildBlock("head", Linear.builder().setUnits(vocabOut).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray tokens = inputs.head().toType(DataType.INT64, false); // [B,N]
        long n = tokens.getShape().get(1);
        NDArray x = Embedding.embedding(tokens, ps.getValue(tokenEmbedding, tokens.getDevice(), training), SparseFormat.DENSE)
                .head(); // [B,N,d]
        NDArray positions = tokens.getManager().arange(0, n, 1, DataType.INT64);
        x = x.add(Embedding.embedding(positions, ps.getValue(positionEmbedding, tokens.getDevice(), training),
                SparseFormat.DENSE).head()); // + [N,d]
        for (Block[] layer : layers) {
            NDArray a = layer[0].forward(ps, new NDList(x), training, params).head();
            x = x.add(layer[1].forward(ps, new NDList(a), training, params).head()); // self-attention: key = query = value
            NDArray f = layer[2].forward(ps, new NDList(x), training, params).head();
            x = x.add(layer[3].forward(ps, new NDList(f), training, params).head());
        }
        x = finalNorm.forward(ps, new NDList(x), training, params).head();
        return head.forward(ps, new NDList(x), training, params); // [B,N,V_out]
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), inputShapes[0].get(1), vocabOut)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = new Shape(inputShapes[0].get(0), inputShapes[0].get(1), modelDim);
        for (Block[] layer : layers) {
            for (Block b : layer) {
                b.initialize(manager, dataType, x);
            }
        }
        finalNorm.initialize(manager, dataType, x);
        head.initialize(manager, dataType, x);
    }
}
