package attentionlab.models.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import attentionlab.models.kernel.AttentionKernel;
import attentionlab.models.kernel.AttentionKernels;
import attentionlab.models.kernel.AttentionMask;

/**
 * Multi-head self-attention with a swappable {@link AttentionKernel} (homework 3):
 * <pre>
 *   Q = x W_q, K = x W_k, V = x W_v          x [B,N,d_model]
 *   heads  = kernel(split(Q), split(K), split(V))   [B,H,N,d_k], [B,H,N,d_v]
 *   output = combine(heads) W_o              [B,N,value_dim] -> [B,N,d_model]
 * </pre>
 * with d_k = d_model / H and d_v = value_dim / H. W_q, W_k: d_model -> d_model; W_v: d_model ->
 * value_dim; W_o: (declared input width) -> d_model. W_o's declared input width must equal the
 * value_dim the heads produce: a mismatch (homework 3b: value_dim = 2 d_model with W_o left at
 * d_model inputs) fails at initialization with both widths named.
 *
 * <p>Input: {@code NDList(x)} or {@code NDList(x, keyValid)} with keyValid [B,N] boolean.
 */
public final class MultiHeadAttention extends AbstractBlock {

    private final int modelDim;
    private final int heads;
    private final int valueDim;
    private final int outputInputDim;
    private final boolean causal;
    private final AttentionKernel kernel;
    private final Linear wq;
    private final Linear wk;
    private final Linear wv;
    private final Linear wo;

    private MultiHeadAttention(Builder b) {
        super((byte) 1);
        this.modelDim = b.modelDim;
        this.heads = b.heads;
        this.valueDim = b.valueDim;
        this.outputInputDim = b.outputInputDim;
        this.causal = b.causal;
        this.kernel = b.kernel;
        wq = addChildBlock("W_q", Linear.builder().setUnits(modelDim).optBias(b.bias).build());
        wk = addChildBlock("W_k", Linear.builder().setUnits(modelDim).optBias(b.bias).build());
        wv = addChildBlock("W_v", Linear.builder().setUnits(valueDim).optBias(b.bias).build());
        wo = addChildBlock("W_o", Linear.builder().setUnits(modelDim).optBias(b.bias).build());
    }

    public static Builder builder() {
        return new Builder();
    }

    public int modelDim() {
        return modelDim;
    }

    public int heads() {
        return heads;
    }

    public int valueDim() {
        return valueDim;
    }

    public boolean causal() {
        return causal;
    }

    public AttentionKernel kernel() {
        return kernel;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.head(); // [B,N,d_model]
        AttentionMask mask = mask(inputs);
        NDArray q = project(wq, ps, x, training, params); // [B,H,N,d_k]
        NDArray k = project(wk, ps, x, training, params); // [B,H,N,d_k]
        NDArray v = project(wv, ps, x, training, params); // [B,H,N,d_v]
        NDArray heads = kernel.attend(q, k, v, mask); // [B,H,N,d_v]
        return wo.forward(ps, new NDList(combineHeads(heads)), training, params); // [B,N,value_dim] -> [B,N,d_model]
    }

    /**
     * The kernel's attention weights for these inputs, for inspection.
     *
     * @return [B,H,N,N]
     */
    public NDArray attentionWeights(ParameterStore ps, NDList inputs) {
        NDArray x = inputs.head();
        NDArray q = project(wq, ps, x, false, null);
        NDArray k = project(wk, ps, x, false, null);
        return kernel.weights(q, k, mask(inputs));
    }

    private AttentionMask mask(NDList inputs) {
        return AttentionMask.of(causal, inputs.size() > 1 ? inputs.get(1) : null);
    }

    private NDArray project(Linear w, ParameterStore ps, NDArray x, boolean training, PairList<String, Object> params) {
        return splitHeads(w.forward(ps, new NDList(x), training, params).head(), heads);
    }

    /** [B,N,H*w] -> [B,H,N,w]: view the last axis as H heads, then move heads before positions. */
    public static NDArray splitHeads(NDArray x, int heads) {
        Shape s = x.getShape();
        return x.reshape(s.get(0), s.get(1), heads, s.get(2) / heads).transpose(0, 2, 1, 3);
    }

    /** [B,H,N,w] -> [B,N,H*w]: the inverse of {@link #splitHeads}. */
    public static NDArray combineHeads(NDArray x) {
        Shape s = x.getShape();
        return x.transpose(0, 2, 1, 3).reshape(s.get(0), s.get(2), s.get(1) * s.get(3));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape x = inputShapes[0];
        return new Shape[] {new Shape(x.get(0), x.get(1), modelDim)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        if (x.getLastDimension() != modelDim) {
            throw new IllegalArgumentException("MultiHeadAttention expects inputs of width d_model = " + modelDim
                    + ", got " + x);
        }
        if (outputInputDim != valueDim) {
            throw new IllegalArgumentException("W_o is declared for " + outputInputDim + " inputs but the heads produce "
                    + valueDim + " (value_dim); resize W_o to " + valueDim + " -> " + modelDim);
        }
        wq.initialize(manager, dataType, x);
        wk.initialize(manager, dataType, x);
        wv.initialize(manager, dataType, x);
        wo.initialize(manager, dataType, new Shape(x.get(0), x.get(1), outputInputDim));
    }

    @Override
    public String toString() {
        return "MultiHeadAttention(d_model=" + modelDim + ", heads=" + heads + ", value_dim=" + valueDim
                + ", W_o=" + outputInputDim + "->" + modelDim + ", kernel=" + kernel.name() + (causal ? ", causal" : "") + ")";
    }

    /** DJL-style builder: {@code setX} for required values, {@code optX} for optional ones. */
    public static final class Builder {
        private int modelDim;
        private int heads;
        private int valueDim = -1;
        private int outputInputDim = -1;
        private boolean causal;
        private boolean bias = true;
        private AttentionKernel kernel;

        /** d_model: width of inputs, outputs, queries and keys. */
        public Builder setModelDim(int modelDim) {
            this.modelDim = modelDim;
            return this;
        }

        /** H: number of heads; must divide d_model and value_dim. */
        public Builder setHeads(int heads) {
            this.heads = heads;
            return this;
        }

        /** Width of W_v's output (default d_model). */
        public Builder optValueDim(int valueDim) {
            this.valueDim = valueDim;
            return this;
        }

        /** W_o's declared input width (default value_dim); checked against value_dim at initialization. */
        public Builder optOutputInputDim(int outputInputDim) {
            this.outputInputDim = outputInputDim;
            return this;
        }

        /** Whether query i may only see keys 0..i (default false). */
        public Builder optCausal(boolean causal) {
            this.causal = causal;
            return this;
        }

        /** Whether the four projections have a bias (default true). */
        public Builder optBias(boolean bias) {
            this.bias = bias;
            return this;
        }

        /** The attention kernel (default softmax). */
        public Builder optKernel(AttentionKernel kernel) {
            this.kernel = kernel;
            return this;
        }

        public MultiHeadAttention build() {
            if (modelDim <= 0 || heads <= 0) {
                throw new IllegalArgumentException("d_model and heads must be > 0, got d_model=" + modelDim + ", heads=" + heads);
            }
            if (modelDim % heads != 0) {
                throw new IllegalArgumentException("d_model " + modelDim + " is not divisible by heads " + heads);
            }
            if (valueDim < 0) {
                valueDim = modelDim;
            }
            if (valueDim == 0 || valueDim % heads != 0) {
                throw new IllegalArgumentException("value_dim " + valueDim + " must be > 0 and divisible by heads " + heads);
            }
            if (outputInputDim < 0) {
                outputInputDim = valueDim;
            }
            if (kernel == null) {
                kernel = AttentionKernels.create("softmax");
            }
            return new MultiHeadAttention(this);
        }
    }
}
