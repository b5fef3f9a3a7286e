package attentionlab.experiments.bench;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Locale;
import org.apache.commons.math3.stat.regression.SimpleRegression;

/**
 * Least-squares fit of log y = exponent * log x + log c (commons-math3 {@link SimpleRegression}): the
 * measured power law y ~ c x^exponent, with the exponent's 95% confidence interval from the residuals.
 * Every repeat is its own point, so the interval carries the repeat variance. Through two points
 * there is no interval and no R^2 (a line through two points fits exactly and says nothing about
 * noise): both are null, and no target may be judged on such a fit.
 *
 * @param exponent fitted slope in log-log space
 * @param coefficient c
 * @param halfWidth half-width of the exponent's 95% confidence interval (Student t, points - 2 degrees
 *                  of freedom); null through two points
 * @param r2 coefficient of determination of the log-log fit; null through two points or when y is constant
 * @param points number of (x, y) pairs fitted
 * @param sizes number of distinct x values
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LogLogFit(double exponent, double coefficient, @JsonProperty("ci95_half_width") Double halfWidth, Double r2,
                        int points, int sizes) {

    /** Confidence level of {@link #halfWidth}. */
    public static final double CONFIDENCE = 0.95;

    /**
     * @throws IllegalArgumentException with fewer than 2 points, fewer than 2 distinct x, or a non-positive value
     */
    public static LogLogFit fit(List<Double> xs, List<Double> ys) {
        if (xs.size() != ys.size() || xs.size() < 2) {
            throw new IllegalArgumentException("a log-log fit needs at least 2 (x, y) pairs, got " + xs.size()
                    + " x and " + ys.size() + " y values");
        }
        SimpleRegression regression = new SimpleRegression();
        for (int i = 0; i < xs.size(); i++) {
            if (!(xs.get(i) > 0) || !(ys.get(i) > 0)) {
                throw new IllegalArgumentException("log-log fit needs positive values, got x=" + xs.get(i) + ", y=" + ys.get(i));
            }
            regression.addData(Math.log(xs.get(i)), Math.log(ys.get(i)));
        }
        int sizes = (int) xs.stream().distinct().count();
        if (sizes < 2) {
            throw new IllegalArgumentException("log-log fit needs at least 2 distinct x values");
        }
        int n = xs.size();
        Double halfWidth = n > 2 ? regression.getSlopeConfidenceInterval(1 - CONFIDENCE) : null;
        if (halfWidth != null && Double.isNaN(halfWidth)) {
            halfWidth = 0.0; // zero residual variance: the points lie exactly on the line
        }
        double r = regression.getRSquare();
        Double r2 = n > 2 && Double.isFinite(r) ? r : null;
        return new LogLogFit(regression.getSlope(), Math.exp(regression.getIntercept()), halfWidth, r2, n, sizes);
    }

    /** Predicted y at x. */
    public double predict(double x) {
        return coefficient * Math.pow(x, exponent);
    }

    /** Whether the fit has a confidence interval (more than two points). */
    @JsonIgnore
    public boolean hasInterval() {
        return halfWidth != null;
    }

    /** Lower end of the 95% interval (the exponent itself through two points). */
    @JsonIgnore
    public double low() {
        return exponent - (halfWidth == null ? 0 : halfWidth);
    }

    /** Upper end of the 95% interval (the exponent itself through two points). */
    @JsonIgnore
    public double high() {
        return exponent + (halfWidth == null ? 0 : halfWidth);
    }

    /** "1.98 [1.91, 2.05] (R^2 0.998, 15 points)" or "1.98 (2 points: no interval)". */
    public String describe() {
        if (!hasInterval()) {
            return String.format(Locale.ROOT, "%.2f (%d points: no interval)", exponent, points);
        }
        return String.format(Locale.ROOT, "%.2f [%.2f, %.2f] (%sR^2 %s, %d points at %d sizes)", exponent, low(), high(),
                "95% CI, ", r2 == null ? "n/a" : String.format(Locale.ROOT, "%.3f", r2), points, sizes);
    }
}
