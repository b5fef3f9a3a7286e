package attentionlab.experiments.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import java.util.List;

/**
 * Gradient norms ||g||_2 and max |g| of every trainable parameter, read after backward and before
 * the update. The gradient handles are attached to a short-lived manager, so reading does not leak;
 * all 2P numbers come back in one copy.
 *
 * @param names readable parameter names, in order
 * @param norms ||g||_2 per parameter
 * @param maxAbs max_i |g_i| per parameter
 */
public record GradientStats(List<String> names, float[] norms, float[] maxAbs) {

    private static final NDIndex ALL = new NDIndex("...");

    public static GradientStats read(List<String> names, List<Parameter> parameters, NDManager scratch) {
        NDList norms = new NDList(parameters.size());
        NDList maxAbs = new NDList(parameters.size());
        for (Parameter p : parameters) {
            NDArray g = p.getArray().getGradient();
            g.attach(scratch);
            norms.add(g.norm());
            maxAbs.add(g.abs().max());
        }
        float[] values = NDArrays.concat(new NDList(NDArrays.stack(norms), NDArrays.stack(maxAbs))).toFloatArray();
        int n = parameters.size();
        return new GradientStats(names, java.util.Arrays.copyOfRange(values, 0, n), java.util.Arrays.copyOfRange(values, n, 2 * n));
    }

    /**
     * Sets every parameter's gradient to exactly 0 in place, whatever it held: an assignment, not
     * {@code g - g}, which keeps NaN and turns Inf into NaN (DJL's {@code GradientCollector.zeroGradients}
     * does that, and leaves two native handles per parameter behind at every call).
     */
    public static void zero(List<Parameter> parameters, NDManager scratch) {
        for (Parameter p : parameters) {
            NDArray g = p.getArray().getGradient();
            g.attach(scratch);
            g.set(ALL, 0f);
        }
    }

    /** sqrt(sum_p ||g_p||^2). */
    public double globalNorm() {
        double sum = 0;
        for (float v : norms) {
            sum += (double) v * v;
        }
        return Math.sqrt(sum);
    }

    /** The first parameter whose gradient is not finite, or null. */
    public String firstNonFinite() {
        for (int i = 0; i < norms.length; i++) {
            if (!Float.isFinite(norms[i]) || !Float.isFinite(maxAbs[i])) {
                return names.get(i) + " has a non-finite gradient (norm " + norms[i] + ")";
            }
        }
        return null;
    }
}
