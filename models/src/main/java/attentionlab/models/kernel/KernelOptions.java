package attentionlab.models.kernel;

/**
 * Options a kernel may read when it is created by name.
 *
 * @param temperature softmax temperature T: scores are divided by T (T -> 0 approaches argmax)
 * @param scaled whether dot-product scores are divided by sqrt(D) (homework 1c)
 */
public record KernelOptions(double temperature, boolean scaled) {

    public static final KernelOptions DEFAULT = new KernelOptions(1.0, true);

    public KernelOptions {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be a finite number > 0, got " + temperature);
        }
    }
}
