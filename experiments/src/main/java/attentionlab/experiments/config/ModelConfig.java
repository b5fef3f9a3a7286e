package attentionlab.experiments.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * {@code model:} the transformer the task trains (see {@code ModelFactory}).
 *
 * @param dModel d_model, width of the residual stream, queries and keys
 * @param heads H, must divide d_model and value_dim
 * @param kvHeads G, key/value heads shared by H / G query heads each: H (default) multi-head, 1 multi-query,
 *     a divisor of H in between grouped-query ({@code MultiHeadAttention.allowedKvHeads})
 * @param layers number of transformer layers L
 * @param ffnHidden width of each layer's feed-forward hidden layer (default 4 d_model)
 * @param valueDim width of W_v's output (default d_model)
 * @param outputInputDim W_o's declared input width (default value_dim); a value different from
 *     value_dim reproduces homework 3(b)'s failure at initialization
 * @param kernel attention kernel name (the registry in {@code AttentionKernels})
 * @param temperature softmax temperature (kernels that read it)
 * @param alpha entmax's alpha in (1, 2] (read by {@code entmax} only)
 * @param causal whether position i may only attend to positions up to i
 */
@JsonPropertyOrder({"d_model", "heads", "kv_heads", "layers", "ffn_hidden", "value_dim", "output_input_dim", "kernel", "temperature", "alpha", "causal"})
public record ModelConfig(
        @JsonProperty("d_model") int dModel,
        @JsonProperty("heads") int heads,
        @JsonProperty("kv_heads") int kvHeads,
        @JsonProperty("layers") int layers,
        @JsonProperty("ffn_hidden") int ffnHidden,
        @JsonProperty("value_dim") int valueDim,
        @JsonProperty("output_input_dim") int outputInputDim,
        @JsonProperty("kernel") String kernel,
        @JsonProperty("temperature") double temperature,
        @JsonProperty("alpha") double alpha,
        @JsonProperty("causal") boolean causal) {
}
