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
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Multi-head self-attention with a swappable {@link AttentionKernel} (homework 3), with H query heads
 * and G = kv_heads key/value heads (G = H: multi-head, G = 1: multi-query, 1 < G < H: grouped-query):
 * <pre>
 *   Q = x W_q, K = x W_k, V = x W_v          x [B,N,d_model]
 *   Q: [B,H,N,d_k]   K: [B,G,N,d_k]   V: [B,G,N,d_v]    split into heads
 *   K, V: [B,H,N,.]  key/value head g serves query heads g r .. g r + r-1 (r = H / G)
 *   heads  = kernel(Q, K, V)                 [B,H,N,d_v]
 *   output = combine(heads) W_o              [B,N,value_dim] -> [B,N,d_model]
 * </pre>
 * with d_k = d_model / H and d_v = value_dim / H. W_q: d_model -> d_model; W_k: d_model -> G d_k;
 * W_v: d_model -> G d_v; W_o: (declared input width) -> d_model. W_o's declared input width must equal
 * the value_dim the heads produce: a mismatch (homework 3b: value_dim = 2 d_model with W_o left at
 * d_model inputs) fails at initialization with both widths named. Query head i reads key/value head
 * i / r, the grouping of PyTorch's {@code repeat_interleave} and of Hugging Face's {@code repeat_kv}.
 *
 * <p>Input: {@code NDList(x)} or {@code NDList(x, keyValid)} with keyValid [B,N] boolean.
 * {@link attentionlab.models.decode.CachedSelfAttention} decodes with this block's weights.
 */
public final class MultiHeadAttention extends AbstractBlock {

    private final int modelDim;
    private final int heads;
    private final int kvHeads;
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
        this.kvHeads = b.kvHeads;
        this.valueDim = b.valueDim;
        this.outputInputDim = b.outputInputDim;
        this.causal = b.causal;
        this.kernel = b.kernel;
        wq = addChildBlock("W_q", Linear.builder().setUnits(modelDim).optBias(b.bias).build());
        wk = addChildBlock("W_k", Linear.builder().setUnits((long) kvHeads * keyDim()).optBias(b.bias).build());
        wv = addChildBlock("W_v", Linear.builder().setUnits((long) kvHeads * valueHeadDim()).optBias(b.bias).build());
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

    /** G: key/value heads (H: multi-head, 1: multi-query). */
    public int kvHeads() {
        return kvHeads;
    }

    /** d_k = d_model / H: query and key width per head. */
    public int keyDim() {
        return modelDim / heads;
    }

    /** value_dim: width of the concatenated head outputs, H d_v. */
    public int valueDim() {
        return valueDim;
    }

    /** d_v = value_dim / H: value width per head. */
    public int valueHeadDim() {
        return valueDim / heads;
    }

    public boolean causal() {
        return causal;
    }

    public AttentionKernel kernel() {
        return kernel;
    }

    /** Whether the four projections have a bias. */
    public boolean hasBias() {
        return wq.getParameters().contains("bias");
    }

    /**
     * A projection's weight W [out, in] (the layout DJL and PyTorch share): the parameter array itself,
     * not a copy. Rows h d_k .. (h+1) d_k - 1 of W_q belong to query head h.
     *
     * @throws IllegalStateException if the block is not initialized
     */
    public NDArray weight(Projection p) {
        return parameter(p, "weight");
    }

    /** A projection's bias [out] (the parameter array itself), or null when the block has no biases. */
    public NDArray bias(Projection p) {
        return hasBias() ? parameter(p, "bias") : null;
    }

    private NDArray parameter(Projection p, String kind) {
        Linear linear = switch (p) {
            case QUERY -> wq;
            case KEY -> wk;
            case VALUE -> wv;
            case OUTPUT -> wo;
        };
        if (!linear.isInitialized()) {
            throw new IllegalStateException("MultiHeadAttention is not initialized: initialize it before reading "
                    + p.blockName());
        }
        return linear.getParameters().get(kind).getArray();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.head(); // [B,N,d_model]
        AttentionMask mask = mask(inputs);
        NDArray q = project(wq, ps, x, heads, training, params); // [B,H,N,d_k]
        NDArray k = toQueryHeads(project(wk, ps, x, kvHeads, training, params)); // [B,G,N,d_k] -> [B,H,N,d_k]
        NDArray v = toQueryHeads(project(wv, ps, x, kvHeads, training, params)); // [B,G,N,d_v] -> [B,H,N,d_v]
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
        NDArray q = project(wq, ps, x, heads, false, null);
        NDArray k = toQueryHeads(project(wk, ps, x, kvHeads, false, null));
        return kernel.weights(q, k, mask(inputs));
    }

    private AttentionMask mask(NDList inputs) {
        return AttentionMask.of(causal, inputs.size() > 1 ? inputs.get(1) : null);
    }

    private static NDArray project(Linear w, ParameterStore ps, NDArray x, int heads, boolean training,
                                   PairList<String, Object> params) {
        return splitHeads(w.forward(ps, new NDList(x), training, params).head(), heads);
    }

    /** [B,G,N,w] -> [B,H,N,w]: key/value head g copied to query heads g r .. g r + r-1 (r = H / G). */
    private NDArray toQueryHeads(NDArray kv) {
        return kvHeads == heads ? kv : kv.repeat(1, heads / kvHeads); // repeat_interleave along the head axis
    }

    /** The values kv_heads may take with this many query heads: the divisors of heads, 1 to heads. */
    public static List<Integer> allowedKvHeads(int heads) {
        return IntStream.rangeClosed(1, heads).filter(g -> heads % g == 0).boxed().toList();
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
        return "MultiHeadAttention(d_model=" + modelDim + ", heads=" + heads + ", kv_heads=" + kvHeads + ", value_dim=" + valueDim
                + ", W_o=" + outputInputDim + "->" + modelDim + ", kernel=" + kernel.name() + (causal ? ", causal" : "") + ")";
    }

    /** DJL-style builder: {@code setX} for required values, {@code optX} for optional ones. */
    public static final class Builder {
        private int modelDim;
        private int heads;
        private Integer kvHeads;
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

        /**
         * G = kv_heads: key/value heads, each shared by H / G query heads (default H: multi-head;
         * 1: multi-query; a divisor of H in between: grouped-query); checked in build() against
         * {@link MultiHeadAttention#allowedKvHeads}.
         */
        public Builder optKvHeads(int kvHeads) {
            this.kvHeads = kvHeads;
            return this;
        }

        /** value_dim: width of the concatenated head outputs (default d_model). */
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
            if (kvHeads == null) {
                kvHeads = heads;
            }
            List<Integer> allowed = allowedKvHeads(heads);
            if (!allowed.contains(kvHeads)) {
                throw new IllegalArgumentException("kv_heads " + kvHeads + " must be a divisor of heads " + heads
                        + " (1 = multi-query, " + heads + " = multi-head); allowed: "
                        + allowed.stream().map(String::valueOf).collect(Collectors.joining(", ")));
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
