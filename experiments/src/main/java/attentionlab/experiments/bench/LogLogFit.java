package attentionlab.experiments.bench;

import java.util.List;

/**
 * Least-squares fit of log y = exponent * log x + log c: the measured power law y ~ c x^exponent.
 *
 * @param exponent fitted slope in log-log space
 * @param coefficient c
 * @param r2 coefficient of determination of the log-log fit
 * @param points number of (x, y) pairs fitted
 */
public record LogLogFit(double exponent, double coefficient, double r2, int points) {

    /**
     * @throws IllegalArgumentException with fewer than 2 points, or a non-positive value
     */
    public static LogLogFit fit(List<Double> xs, List<Double> ys) {
        if (xs.size() != ys.size() || xs.size() < 2) {
            throw new IllegalArgumentException("a log-log fit needs at least 2 (x, y) pairs, got " + xs.size()
                    + " x and " + ys.size() + " y values");
        }
        int n = xs.size();
        double[] lx = new double[n];
        double[] ly = new double[n];
        for (int i = 0; i < n; i++) {
            if (!(xs.get(i) > 0) || !(ys.get(i) > 0)) {
                throw new IllegalArgumentException("log-log fit needs positive values, got x=" + xs.get(i) + ", y=" + ys.get(i));
            }
            lx[i] = Math.log(xs.get(i));
            ly[i] = Math.log(ys.get(i));
        }
        double mx = mean(lx);
        double my = mean(ly);
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            sxy += (lx[i] - mx) * (ly[i] - my);
            sxx += (lx[i] - mx) * (lx[i] - mx);
            syy += (ly[i] - my) * (ly[i] - my);
        }
        if (sxx == 0) {
            throw new IllegalArgumentException("log-log fit needs at least 2 distinct x values");
        }
        double slope = sxy / sxx;
        double r2 = syy == 0 ? 1 : (sxy * sxy) / (sxx * syy);
        return new LogLogFit(slope, Math.exp(my - slope * mx), r2, n);
    }

    /** Predicted y at x. */
    public double predict(double x) {
        return coefficient * Math.pow(x, exponent);
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }
}
