package attentionlab.models.kernel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.function.DoubleSupplier;

/** Central finite differences, the reference autograd gradients are checked against (use float64). */
public final class FiniteDifferences {

    private FiniteDifferences() {}

    /**
     * (f(x + h e_i) - f(x - h e_i)) / 2h for every entry i of x, perturbing x in place (it must not
     * require gradient yet) and restoring it exactly.
     *
     * @return one derivative per entry of x, in row-major order
     */
    public static double[] central(NDArray x, DoubleSupplier f, double h) {
        double[] values = x.toDoubleArray();
        double[] derivative = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            NDIndex at = index(x.getShape(), i);
            x.set(at, values[i] + h);
            double up = f.getAsDouble();
            x.set(at, values[i] - h);
            double down = f.getAsDouble();
            x.set(at, values[i]);
            derivative[i] = (up - down) / (2 * h);
        }
        return derivative;
    }

    /** max_i |a_i - b_i|. */
    public static double maxAbsDifference(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("lengths differ: " + a.length + " vs " + b.length);
        }
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    /** The multi-dimensional index of row-major position {@code flat}. */
    private static NDIndex index(Shape shape, int flat) {
        long[] at = new long[shape.dimension()];
        long rest = flat;
        for (int d = shape.dimension() - 1; d >= 0; d--) {
            at[d] = rest % shape.get(d);
            rest /= shape.get(d);
        }
        return new NDIndex(at);
    }
}
