package attentionlab.models.enginefixture;

import ai.djl.ndarray.NDArray;

/** Planted for {@code EngineSafetyTest}: the call the engine-safety rule must catch. */
final class DividesByANumber {

    private DividesByANumber() {}

    static NDArray scaled(NDArray q) {
        return q.div(8.0);
    }
}
