package attentionlab.models.attention;

/**
 * The four projections of {@link MultiHeadAttention}, with the names PyTorch gives them
 * ({@code nn.MultiheadAttention}'s {@code out_proj} and the separate {@code q_proj}, {@code k_proj},
 * {@code v_proj} of most PyTorch attention modules). Each is a linear map y = x W^T + b with W stored
 * [out, in], in DJL as in PyTorch.
 */
public enum Projection {
    /** W_q: d_model -> H d_k. */
    QUERY("W_q", "q_proj"),
    /** W_k: d_model -> G d_k (G = kv_heads). */
    KEY("W_k", "k_proj"),
    /** W_v: d_model -> G d_v. */
    VALUE("W_v", "v_proj"),
    /** W_o: H d_v -> d_model. */
    OUTPUT("W_o", "out_proj");

    private final String blockName;
    private final String pytorchName;

    Projection(String blockName, String pytorchName) {
        this.blockName = blockName;
        this.pytorchName = pytorchName;
    }

    /** The child block's name in {@link MultiHeadAttention} (W_q, W_k, W_v, W_o). */
    public String blockName() {
        return blockName;
    }

    /** The sub-module name PyTorch uses (q_proj, k_proj, v_proj, out_proj). */
    public String pytorchName() {
        return pytorchName;
    }
}
