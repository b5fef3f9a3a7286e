package attentionlab.experiments.claims;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

/** Small engine-side helpers shared by the claims' measurements. */
public final class Tensors {

    private Tensors() {}

    /** N(0, 1) samples of the given shape and type, after seeding the engine. */
    public static NDArray normal(NDManager m, long seed, DataType type, long... shape) {
        Engine.getInstance().setRandomSeed(Math.toIntExact(seed));
        return m.randomNormal(0f, 1f, new Shape(shape), DataType.FLOAT32).toType(type, false);
    }

    /** max |a - b| / max |b| (0 when both are 0). */
    public static double relativeError(NDArray a, NDArray b) {
        double diff = a.sub(b).abs().max().toType(DataType.FLOAT64, false).getDouble();
        double scale = b.abs().max().toType(DataType.FLOAT64, false).getDouble();
        return scale == 0 ? diff : diff / scale;
    }

    /**
     * A parameter of a child block by readable name, e.g. ("W_q", "weight") matches DJL's key
     * {@code 01W_q_weight} (DJL prefixes child names with a 2-digit counter).
     */
    public static Parameter parameter(Block block, String child, String kind) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getKey().matches("\\d\\d" + java.util.regex.Pattern.quote(child) + "_" + kind)) {
                return p.getValue();
            }
        }
        throw new IllegalArgumentException("no parameter " + child + "_" + kind + " in " + block.getParameters().keys());
    }

    /** DJL parameter key without its 2-digit child counters: 02layer0_02attention_01W_q_weight -> layer0_attention_W_q_weight. */
    public static String readableName(String key) {
        return key.replaceAll("(^|_)\\d\\d", "$1");
    }
}
