package attentionlab.models.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import attentionlab.models.attention.MultiHeadAttention;
import attentionlab.models.attention.Projection;
import attentionlab.models.stack.SequenceModel;
import attentionlab.models.stack.TransformerLayer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An attention block's or a model's weights under PyTorch's names and in PyTorch's layout, in memory
 * (a state dict: name -> tensor) or in a {@code .npz} / {@code .safetensors} file ({@link TensorFiles}).
 * See {@code docs/weights.md}.
 *
 * <p>Conventions. Every linear map is y = x W^T + b with W [out, in] and b [out], as in DJL and in
 * {@code nn.Linear}. Heads are contiguous row blocks: rows h d_k .. (h+1) d_k - 1 of W_q (and of
 * W_k, W_v for key/value head h) belong to head h, and columns h d_v .. (h+1) d_v - 1 of W_o read
 * head h's output. With kv_heads = G < H, query head i uses key/value head i / (H / G) (Hugging Face's
 * {@code repeat_kv}, PyTorch's {@code repeat_interleave}); k_proj and v_proj then have G d_k and
 * G d_v rows. Scaling is the kernel's: softmax divides q.k by sqrt(d_k) (and its temperature), as
 * {@code nn.MultiheadAttention} and {@code scaled_dot_product_attention} do; argmax is unaffected by
 * scaling; the linear kernels (quadratic, linear-elu) apply their feature map to the unscaled q and k.
 *
 * <p>Names of an attention block, for {@link Layout#PACKED} ({@code nn.MultiheadAttention}, only for
 * kv_heads = heads and value_dim = d_model): {@code in_proj_weight} [3 d_model, d_model] = [W_q; W_k; W_v],
 * {@code in_proj_bias} [3 d_model], {@code out_proj.weight} [d_model, d_model], {@code out_proj.bias};
 * for {@link Layout#SEPARATE}: {@code q_proj.weight} [H d_k, d_model], {@code k_proj.weight}
 * [G d_k, d_model], {@code v_proj.weight} [G d_v, d_model], {@code out_proj.weight} [d_model, H d_v] and
 * their {@code .bias}. A block without biases has no bias tensors. A {@link SequenceModel} prefixes
 * them with {@code layers.<i>.attention.} beside {@code token_embedding.weight},
 * {@code position_embedding.weight}, {@code layers.<i>.ln1|ln2.weight|bias} (LayerNorm gamma, beta),
 * {@code layers.<i>.ffn.0|2.weight|bias} (W_1, W_2 of {@code nn.Sequential(Linear, GELU, Linear)}),
 * {@code ln_final.weight|bias} and {@code head.weight|bias}.
 *
 * <p>Loading is strict and all-or-nothing: every expected tensor must be present with its exact
 * shape, no other tensor may be, and nothing is written unless all of them fit. Values are converted
 * to the parameters' data type. When loading, the layout of each attention block is read from the
 * names ({@code in_proj_weight} present: packed).
 */
public final class PyTorchWeights {

    /** How an attention block's four projections are named. */
    public enum Layout {
        /** {@code nn.MultiheadAttention}: one packed in_proj_weight / in_proj_bias, and out_proj. */
        PACKED,
        /** q_proj, k_proj, v_proj, out_proj, each with .weight and .bias. */
        SEPARATE
    }

    private PyTorchWeights() {}

    /** The block's state dict: copies of its weights on {@code manager}, in PyTorch's names and layout. */
    public static Map<String, NDArray> stateDict(MultiHeadAttention block, Layout layout, NDManager manager) {
        return export(attention(block, layout, ""), manager);
    }

    /** The model's state dict: copies of its weights on {@code manager}, in PyTorch's names and layout. */
    public static Map<String, NDArray> stateDict(SequenceModel model, Layout layout, NDManager manager) {
        return export(model(model, layout), manager);
    }

    /**
     * Copies a state dict into the block's parameters.
     *
     * @throws IllegalArgumentException naming the tensor if one is missing, unexpected or mis-shaped
     */
    public static void load(MultiHeadAttention block, Map<String, NDArray> stateDict) {
        load(attention(block, layoutOf(stateDict, ""), ""), stateDict);
    }

    /**
     * Copies a state dict into the model's parameters.
     *
     * @throws IllegalArgumentException naming the tensor if one is missing, unexpected or mis-shaped
     */
    public static void load(SequenceModel model, Map<String, NDArray> stateDict) {
        load(model(model, stateDict), stateDict);
    }

    /** Writes the block's weights to a .npz or .safetensors file. */
    public static void save(MultiHeadAttention block, Layout layout, Path file) throws IOException {
        save(attention(block, layout, ""), file);
    }

    /** Writes the model's weights to a .npz or .safetensors file. */
    public static void save(SequenceModel model, Layout layout, Path file) throws IOException {
        save(model(model, layout), file);
    }

    /**
     * Reads the block's weights from a .npz or .safetensors file.
     *
     * @throws IllegalArgumentException naming the file and the tensor if the file does not fit the block
     */
    public static void load(MultiHeadAttention block, Path file) throws IOException {
        try (NDManager scratch = managerOf(block).newSubManager()) {
            Map<String, NDArray> tensors = TensorFiles.read(file, scratch);
            inFile(file, () -> load(block, tensors));
        }
    }

    /**
     * Reads the model's weights from a .npz or .safetensors file.
     *
     * @throws IllegalArgumentException naming the file and the tensor if the file does not fit the model
     */
    public static void load(SequenceModel model, Path file) throws IOException {
        try (NDManager scratch = managerOf(model).newSubManager()) {
            Map<String, NDArray> tensors = TensorFiles.read(file, scratch);
            inFile(file, () -> load(model, tensors));
        }
    }

    static List<StateDictEntry> attention(MultiHeadAttention block, Layout layout, String prefix) {
        requireInitialized(block);
        List<StateDictEntry> entries = new ArrayList<>();
        boolean bias = block.hasBias();
        if (layout == Layout.PACKED) {
            if (block.kvHeads() != block.heads() || block.valueDim() != block.modelDim()) {
                throw new IllegalArgumentException("the packed layout (nn.MultiheadAttention's in_proj_weight"
                        + " [3 d_model, d_model]) needs kv_heads = heads and value_dim = d_model; this block has kv_heads "
                        + block.kvHeads() + ", heads " + block.heads() + ", value_dim " + block.valueDim()
                        + ", d_model " + block.modelDim() + ": use the separate layout");
            }
            List<Projection> in = List.of(Projection.QUERY, Projection.KEY, Projection.VALUE);
            entries.add(new StateDictEntry(prefix + "in_proj_weight", in.stream().map(block::weight).toList(),
                    "[3 d_model, d_model] = [W_q; W_k; W_v]"));
            if (bias) {
                entries.add(new StateDictEntry(prefix + "in_proj_bias", in.stream().map(block::bias).toList(),
                        "[3 d_model] = [b_q; b_k; b_v]"));
            }
            addProjection(entries, block, Projection.OUTPUT, prefix, "d_model", "heads * d_v");
            return entries;
        }
        addProjection(entries, block, Projection.QUERY, prefix, "heads * d_k", "d_model");
        addProjection(entries, block, Projection.KEY, prefix, "kv_heads * d_k", "d_model");
        addProjection(entries, block, Projection.VALUE, prefix, "kv_heads * d_v", "d_model");
        addProjection(entries, block, Projection.OUTPUT, prefix, "d_model", "heads * d_v");
        return entries;
    }

    private static void addProjection(List<StateDictEntry> entries, MultiHeadAttention block, Projection p,
                                      String prefix, String out, String in) {
        String name = prefix + p.pytorchName();
        entries.add(new StateDictEntry(name + ".weight", List.of(block.weight(p)), "[" + out + ", " + in + "]"));
        if (block.hasBias()) {
            entries.add(new StateDictEntry(name + ".bias", List.of(block.bias(p)), "[" + out + "]"));
        }
    }

    private static List<StateDictEntry> model(SequenceModel model, Map<String, NDArray> stateDict) {
        List<StateDictEntry> entries = new ArrayList<>();
        List<TransformerLayer> layers = model.layers();
        for (int i = 0; i < layers.size(); i++) {
            layerEntries(entries, layers.get(i), i, layoutOf(stateDict, attentionPrefix(i)));
        }
        return withEmbeddingsAndReadOut(model, entries);
    }

    private static List<StateDictEntry> model(SequenceModel model, Layout layout) {
        List<StateDictEntry> entries = new ArrayList<>();
        List<TransformerLayer> layers = model.layers();
        for (int i = 0; i < layers.size(); i++) {
            layerEntries(entries, layers.get(i), i, layout);
        }
        return withEmbeddingsAndReadOut(model, entries);
    }

    private static void layerEntries(List<StateDictEntry> entries, TransformerLayer layer, int i, Layout layout) {
        String prefix = "layers." + i + ".";
        addParameters(entries, prefix + "ln1.", layer.norm1(), "[d_model]", "[d_model]");
        entries.addAll(attention(multiHead(layer, i), layout, attentionPrefix(i)));
        addParameters(entries, prefix + "ln2.", layer.norm2(), "[d_model]", "[d_model]");
        addParameters(entries, prefix + "ffn.0.", child(layer.feedForward(), 0), "[ffn_hidden, d_model]", "[ffn_hidden]");
        addParameters(entries, prefix + "ffn.2.", child(layer.feedForward(), 2), "[d_model, ffn_hidden]", "[d_model]");
    }

    private static MultiHeadAttention multiHead(TransformerLayer layer, int i) {
        if (layer.attention() instanceof MultiHeadAttention mha) {
            return mha;
        }
        throw new IllegalArgumentException("layer " + i + " attends with " + layer.attention().getClass().getSimpleName()
                + "; PyTorch-layout weights need MultiHeadAttention layers");
    }

    private static List<StateDictEntry> withEmbeddingsAndReadOut(SequenceModel model, List<StateDictEntry> layers) {
        requireInitialized(model);
        List<StateDictEntry> entries = new ArrayList<>();
        entries.add(new StateDictEntry("token_embedding.weight", List.of(model.tokenEmbedding().getArray()),
                "[vocab_in, d_model]"));
        entries.add(new StateDictEntry("position_embedding.weight", List.of(model.positionEmbedding().getArray()),
                "[max_length, d_model]"));
        entries.addAll(layers);
        addParameters(entries, "ln_final.", model.finalNorm(), "[d_model]", "[d_model]");
        addParameters(entries, "head.", model.head(), "[vocab_out, d_model]", "[vocab_out]");
        return entries;
    }

    /** weight (or LayerNorm's gamma) and bias (beta) of a DJL block, under PyTorch's .weight and .bias. */
    private static void addParameters(List<StateDictEntry> entries, String prefix, Block block, String weight,
                                      String bias) {
        for (var pair : block.getParameters()) {
            Parameter p = pair.getValue();
            boolean isWeight = pair.getKey().equals("weight") || pair.getKey().equals("gamma");
            entries.add(new StateDictEntry(prefix + (isWeight ? "weight" : "bias"), List.of(p.getArray()),
                    isWeight ? weight : bias));
        }
    }

    private static Block child(Block sequential, int index) {
        return sequential.getChildren().get(index).getValue();
    }

    private static String attentionPrefix(int layer) {
        return "layers." + layer + ".attention.";
    }

    private static Layout layoutOf(Map<String, NDArray> stateDict, String prefix) {
        return stateDict.containsKey(prefix + "in_proj_weight") ? Layout.PACKED : Layout.SEPARATE;
    }

    private static Map<String, NDArray> export(List<StateDictEntry> entries, NDManager manager) {
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        for (StateDictEntry e : entries) {
            NDArray copy = e.export();
            copy.attach(manager);
            tensors.put(e.name(), copy);
        }
        return tensors;
    }

    private static void save(List<StateDictEntry> entries, Path file) throws IOException {
        try (NDManager scratch = entries.get(0).parts().get(0).getManager().newSubManager()) {
            TensorFiles.write(file, export(entries, scratch));
        }
    }

    /** Checks every entry against the state dict, then copies them all. */
    private static void load(List<StateDictEntry> entries, Map<String, NDArray> stateDict) {
        Set<String> expected = entries.stream().map(StateDictEntry::name).collect(Collectors.toCollection(LinkedHashSet::new));
        List<String> missing = expected.stream().filter(n -> !stateDict.containsKey(n)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("missing tensor" + (missing.size() > 1 ? "s " : " ") + quoted(missing)
                    + "; found " + quoted(List.copyOf(stateDict.keySet())));
        }
        List<String> unexpected = stateDict.keySet().stream().filter(n -> !expected.contains(n)).toList();
        if (!unexpected.isEmpty()) {
            throw new IllegalArgumentException("unexpected tensor" + (unexpected.size() > 1 ? "s " : " ")
                    + quoted(unexpected) + "; expected " + quoted(List.copyOf(expected)));
        }
        for (StateDictEntry e : entries) {
            e.check(stateDict.get(e.name()));
        }
        for (StateDictEntry e : entries) {
            e.load(stateDict.get(e.name()));
        }
    }

    private static String quoted(List<String> names) {
        int shown = Math.min(names.size(), 8);
        String list = names.subList(0, shown).stream().map(n -> "'" + n + "'").collect(Collectors.joining(", "));
        return shown < names.size() ? list + " and " + (names.size() - shown) + " more" : list;
    }

    private static void inFile(Path file, Runnable load) {
        try {
            load.run();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    private static void requireInitialized(AbstractBlock block) {
        if (!block.isInitialized()) {
            throw new IllegalStateException(block.getClass().getSimpleName() + " is not initialized: initialize it"
                    + " before reading or writing its weights");
        }
    }

    private static NDManager managerOf(AbstractBlock block) {
        requireInitialized(block);
        return block.getParameters().valueAt(0).getArray().getManager();
    }
}
