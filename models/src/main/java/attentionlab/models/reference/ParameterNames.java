package attentionlab.models.reference;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;

/**
 * Readable parameter names and lookup by them. A readable name is DJL's parameter key with the
 * 2-digit child prefixes stripped, e.g. {@code 02layer0_02attention_01W_q_weight} ->
 * {@code layer0_attention_W_q_weight}; children that differ only by their prefix (the two Linear
 * blocks of a feed-forward) keep their index: {@code 04ffn_01Linear_weight} -> {@code ffn_Linear1_weight}.
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

    /**
     * The parameter of {@code block} (or of one of its children) whose readable name is {@code name},
     * e.g. {@code W_q_weight} in a multi-head block.
     *
     * @throws IllegalArgumentException listing the readable names if there is no such parameter
     */
    public static Parameter find(Block block, String name) {
        List<String> names = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            String readable = readable(p.getKey());
            if (readable.equals(name)) {
                return p.getValue();
            }
            names.add(readable);
        }
        throw new IllegalArgumentException("no parameter " + name + "; parameters: " + String.join(", ", names));
    }
}
