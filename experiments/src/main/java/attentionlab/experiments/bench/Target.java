package attentionlab.experiments.bench;

/**
 * A benchmark target from the issue, with what was measured: a figure, not a test verdict.
 *
 * @param name what is compared, e.g. "quadratic time exponent in N"
 * @param measured the measured value
 * @param goal the target, e.g. "<= 1.2"
 * @param met whether the measured value meets the goal
 */
public record Target(String name, double measured, String goal, boolean met) {

    public static Target atMost(String name, double measured, double bound) {
        return new Target(name, measured, "<= " + bound, measured <= bound);
    }

    public static Target atLeast(String name, double measured, double bound) {
        return new Target(name, measured, ">= " + bound, measured >= bound);
    }
}
