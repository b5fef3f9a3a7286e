package attentionlab.experiments.bench;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A benchmark target from the issue, with what was measured: a figure, not a test verdict.
 *
 * @param name what is compared, e.g. "quadratic time exponent in N"
 * @param measured the measured value (NaN when not measured)
 * @param goal the target, e.g. "<= 1.2"
 * @param met whether the measurement meets the goal
 * @param status "met", "MISSED", or why it is not judged ("not judged: ...", "not measured: machine busy ...")
 * @param interval the 95% interval the target was judged on, or null for an exact figure
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Target(String name, double measured, String goal, boolean met, String status, String interval) {

    public static Target atMost(String name, double measured, double bound) {
        return of(name, measured, "<= " + bound, measured <= bound);
    }

    public static Target atLeast(String name, double measured, double bound) {
        return of(name, measured, ">= " + bound, measured >= bound);
    }

    private static Target of(String name, double measured, String goal, boolean met) {
        return new Target(name, measured, goal, met, met ? "met" : "MISSED", null);
    }

    /**
     * A fitted exponent that must be at most {@code bound}, judged on its 95% interval: met when the whole
     * interval is at most the bound; not judged without an interval (two points); an interval wholly
     * below {@code floor} is implausible (e.g. a time exponent below what the operation count allows).
     */
    public static Target exponentAtMost(String name, LogLogFit fit, double bound, double floor) {
        String goal = "<= " + bound + " (95% interval)";
        if (!fit.hasInterval()) {
            return new Target(name, fit.exponent(), goal, false, "not judged: " + fit.points() + " points, no interval", null);
        }
        if (fit.high() < floor) {
            return new Target(name, fit.exponent(), goal, false, "implausible: interval below " + floor, intervalText(fit));
        }
        boolean met = fit.high() <= bound;
        return new Target(name, fit.exponent(), goal, met, met ? "met" : "MISSED", intervalText(fit));
    }

    /**
     * A fitted exponent that must be at least {@code bound}, judged on its 95% interval: met when the whole
     * interval is at least the bound; not judged without an interval (two points).
     */
    public static Target exponentAtLeast(String name, LogLogFit fit, double bound) {
        String goal = ">= " + bound + " (95% interval)";
        if (!fit.hasInterval()) {
            return new Target(name, fit.exponent(), goal, false, "not judged: " + fit.points() + " points, no interval", null);
        }
        boolean met = fit.low() >= bound;
        return new Target(name, fit.exponent(), goal, met, met ? "met" : "MISSED", intervalText(fit));
    }

    private static String intervalText(LogLogFit fit) {
        return String.format(java.util.Locale.ROOT, "[%.3f, %.3f]", fit.low(), fit.high());
    }

    /** A timing target that was not measured: the machine was busy. */
    public static Target notMeasured(String name, String goal, String reason) {
        return new Target(name, Double.NaN, goal, false, reason, null);
    }
}
