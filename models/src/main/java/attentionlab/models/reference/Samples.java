package attentionlab.models.reference;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/** Seeded N(0, 1) samples drawn through the engine: the same seed gives the same numbers. */
public final class Samples {

    private Samples() {}

    /** float32 N(0, 1) samples of the given shape, after seeding the engine with {@code seed}. */
    public static NDArray normal(NDManager m, long seed, long... shape) {
        return normal(m, seed, DataType.FLOAT32, shape);
    }

    /** N(0, 1) samples drawn in float32, then converted to {@code type} (so float64 samples equal float32 ones). */
    public static NDArray normal(NDManager m, long seed, DataType type, long... shape) {
        Engine.getInstance().setRandomSeed(Math.toIntExact(seed));
        return m.randomNormal(0f, 1f, new Shape(shape), DataType.FLOAT32).toType(type, false);
    }
}
