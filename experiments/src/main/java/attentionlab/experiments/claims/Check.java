package attentionlab.experiments.claims;

import attentionlab.experiments.io.Format;
import attentionlab.experiments.layout.RunStatus;
import java.util.List;

/**
 * One comparison of a measured value with the homework's prediction, with its tolerance written out.
 *
 * @param what what is compared
 * @param predicted the homework's value (or condition)
 * @param measured what this invocation measured
 * @param tolerance how far the measurement may be from the prediction, and why
 * @param passed whether the measurement is within tolerance
 */
public record Check(String what, String predicted, String measured, String tolerance, boolean passed) {

    /** Passes iff |measured - predicted| <= tolerance. */
    public static Check close(String what, double predicted, double measured, double tolerance, String why) {
        boolean ok = Math.abs(measured - predicted) <= tolerance;
        return new Check(what, Format.number(predicted), Format.number(measured),
                "|measured - predicted| <= " + Format.number(tolerance) + (why.isEmpty() ? "" : " (" + why + ")"), ok);
    }

    /**
     * Monte Carlo: passes iff the estimate is within {@code k} standard errors of the prediction.
     *
     * @param standardError the estimate's standard error, from the same samples
     */
    public static Check withinStandardErrors(String what, double predicted, double measured, double standardError, double k) {
        double z = (measured - predicted) / standardError;
        boolean ok = Double.isFinite(z) && Math.abs(z) <= k;
        return new Check(what, Format.number(predicted),
                Format.number(measured) + " (SE " + Format.number(standardError) + ", z = " + String.format(java.util.Locale.ROOT, "%+.2f", z) + ")",
                "within " + Format.number(k) + " standard errors", ok);
    }

    /** Passes iff measured <= bound. */
    public static Check atMost(String what, String predicted, double measured, double bound, String why) {
        return new Check(what, predicted, Format.number(measured), "<= " + Format.number(bound) + (why.isEmpty() ? "" : " (" + why + ")"),
                measured <= bound);
    }

    /** Passes iff measured >= bound. */
    public static Check atLeast(String what, String predicted, double measured, double bound, String why) {
        return new Check(what, predicted, Format.number(measured), ">= " + Format.number(bound) + (why.isEmpty() ? "" : " (" + why + ")"),
                measured >= bound);
    }

    /** Passes iff measured > bound. */
    public static Check above(String what, String predicted, double measured, double bound) {
        return new Check(what, predicted, Format.number(measured), "> " + Format.number(bound), measured > bound);
    }

    /** Every run completed (statuses listed as measured). */
    public static Check completed(String what, List<RunStatus> statuses) {
        return that(what, RunStatus.COMPLETED.label(), String.join(", ", statuses.stream().map(RunStatus::label).toList()),
                !statuses.isEmpty() && statuses.stream().allMatch(s -> s == RunStatus.COMPLETED));
    }

    /** An exact (yes/no) condition. */
    public static Check that(String what, String predicted, String measured, boolean passed) {
        return new Check(what, predicted, measured, "exact", passed);
    }
}
