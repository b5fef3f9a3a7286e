package attentionlab.experiments.train;

/**
 * Readable parameter names for columns and files: DJL's key with the 2-digit child prefixes stripped,
 * e.g. {@code 02layer0_02attention_01W_q_weight} -> {@code layer0_attention_W_q_weight}. Children
 * that differ only by their prefix (the two Linear blocks of a feed-forward) keep their index:
 * {@code 04ffn_01Linear_weight} -> {@code ffn_Linear1_weight}.
 */
public final class ParameterNames {

    private ParameterNames() {}

    public static String readable(String djlKey) {
        StringBuilder out = new StringBuilder();
        for (String part : djlKey.split("_(?=\\d\\d)")) {
            if (out.length() > 0) {
                out.append('_');
            }
            if (part.matches("\\d\\d.*")) {
                String name = part.substring(2);
                int index = Integer.parseInt(part.substring(0, 2));
                // DJL numbers anonymous children by their class name: keep the index to keep names unique.
                out.append(name.startsWith("Linear") || name.startsWith("LayerNorm") ? name.replaceFirst("^(Linear|LayerNorm)", "$1" + index) : name);
            } else {
                out.append(part);
            }
        }
        return out.toString();
    }
}
