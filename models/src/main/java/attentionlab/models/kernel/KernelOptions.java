package attentionlab.models.kernel;

/**
 * Options a kernel may read when it is created by name.
 *
 * @param temperature softmax temperature T: scores are divided by T (T -> 0 approaches argmax)
 * @param scaled whether dot-product scores are divided by sqrt(D) (homework 1c)
 * @param alpha entmax's alpha in (1, 2]: 1 is softmax (the limit), 1.5 entmax15, 2 sparsemax
 */
public record KernelOptions(double temperature, boolean scaled, double alpha) {

    /** entmax's alpha when none is given: the midpoint between softmax and sparsemax. */
    public static final double DEFAULT_ALPHA = 1.5;

    public static final KernelOptions DEFAULT = new KernelOptions(1.0, true, DEFAULT_ALPHA);

    public KernelOptions {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be a finite number > 0, got " + temperature);
        }
        if (!(alpha > 1 && alpha <= 2)) {
            throw new IllegalArgumentException("alpha must be a number in (1, 2], got " + alpha);
        }
    }

    /** The options with the default alpha. */
    public KernelOptions(double temperature, boolean scaled) {
        this(temperature, scaled, DEFAULT_ALPHA);
    }

    public KernelOptions withAlpha(double newAlpha) {
        return new KernelOptions(temperature, scaled, newAlpha);
    }
}
