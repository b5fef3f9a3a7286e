package attentionlab.experiments.claims.homework;

import attentionlab.experiments.bench.AttentionTiming;
import attentionlab.experiments.bench.LogLogFit;
import attentionlab.experiments.claims.Check;
import attentionlab.experiments.io.Format;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;
import org.apache.commons.math3.stat.regression.OLSMultipleLinearRegression;

/**
 * How {@link ComplexityClaim} judges (pure functions of the measurement), and why its bands are where
 * they are. O-terms: softmax time N^2 max(D,M), memory max(N^2, ND, NM); linear form time N D^2 M,
 * memory max(N D^2, D^2 M); memory counted in float32 elements (bytes / 4).
 * <ul>
 *   <li>Linear form, FLOPs / (N D^2 M) in [{@value #LINEAR_LOW}, {@value #LINEAR_HIGH}]: its two products
 *       are 4 N F (M+1) FLOPs with F = 1 + D + D(D+1)/2, i.e. 2 (1 + 3/D + 2/D^2)(1 + 1/M) = 2.03 .. 2.86
 *       N D^2 M over D = 16..128, M = D/2..2D; the feature maps add about 2 N F (at most 1/M of the
 *       unit). A map of another order leaves the band: F = D + 1 gives about 4/D (0.25 at D = 16), a map
 *       D times too wide about 4 D (64).</li>
 *   <li>Softmax, FLOPs / (N^2 max(D,M)) in [{@value #SOFTMAX_LOW}, {@value #SOFTMAX_HIGH}]: 2 N^2 D + 2 N^2 M
 *       for the products and 4 N^2 for the softmax give (2D + 2M + 4) / max(D,M) = 3.0 .. 4.3.</li>
 *   <li>Growth in N: the exponent log(count(N) / count(N0)) / log(N / N0) is p (1 linear form, 2 softmax)
 *       within {@value #GROWTH_TOLERANCE} for FLOPs: the only other term is softmax's O(N D) scaling of Q
 *       (below 0.1% of its N^2 D). Within {@value #MEMORY_GROWTH_TOLERANCE} for allocated bytes: next to
 *       softmax's 2 N^2 the N D + N M arrays are (D + M) / 2N of it, which bends the exponent to 1.88 at
 *       N = 256..512, D = 32, M = 64 (1.94 at N = 1024..16384, D = 128, M = 256); a wrong order moves it by 1.</li>
 *   <li>Memory / O-term in [{@value #MEMORY_LOW}, {@value #MEMORY_HIGH}]: softmax keeps 2 N^2 (scores,
 *       weights) + N D + N M; the linear form about 4 N F (each map's rows and their concatenation) = 2
 *       N D^2, plus O(N (D + M)).</li>
 *   <li>Time slopes (an upper bound): the fitted log-log slope over every round fails only when its
 *       95% interval lies wholly above the prediction (evidence of a steeper growth, not noise: the
 *       interval is the repeat variance; two-point slopes at N = 4096 varied from 1.74 to 2.81 between
 *       repeats); an interval wholly below 0 (time falling as the work grows) is implausible and fails.</li>
 *   <li>Time / O-term at the top of a sweep at most {@value #TOP_OVER_MIDDLE} x its value in the middle
 *       (median over rounds of the ratio within a round): an exponent one too low (N^2 work for an N
 *       claim) multiplies it by 4 between N = 4096 and 16384; 2 is halfway in log scale, and leaves room
 *       for the working set leaving the caches.</li>
 * </ul>
 */
public final class ComplexityJudge {

    public static final double LINEAR_LOW = 1.5;
    public static final double LINEAR_HIGH = 4;
    public static final double SOFTMAX_LOW = 2;
    public static final double SOFTMAX_HIGH = 5;
    public static final double MEMORY_LOW = 1;
    public static final double MEMORY_HIGH = 4;
    public static final double GROWTH_TOLERANCE = 0.01;
    public static final double MEMORY_GROWTH_TOLERANCE = 0.15;
    public static final double TOP_OVER_MIDDLE = 2;

    static final String TOLERANCE = "executed FLOPs / O-term within a band over N x D x M (linear form [1.5, 4], softmax [2, 5]),"
            + " FLOPs growing as N and N^2 (exponent within 0.01); allocated bytes / O-term within [1, 4], growth exponent within"
            + " 0.15; time: fitted"
            + " slopes not steeper than predicted beyond their 95% interval, time / O-term at the top of a sweep <= 2 x the"
            + " middle; not judged on a busy machine or in quick mode";

    private ComplexityJudge() {}

    static List<Check> judge(ComplexityClaim.Measured m) {
        List<Check> checks = new ArrayList<>();
        List<String> unaccounted = m.counts().stream().flatMap(c -> c.profile().unaccounted().stream()).distinct().toList();
        checks.add(Check.that("every executed op has a cost formula (OpCosts)", "all ops counted",
                unaccounted.isEmpty() ? "all ops counted" : "unaccounted: " + String.join(", ", unaccounted), unaccounted.isEmpty()));
        for (String role : List.of("softmax", "linear")) {
            List<ComplexityClaim.Count> counts = m.counts().stream().filter(c -> c.role().equals(role)).toList();
            if (counts.isEmpty()) {
                continue;
            }
            boolean softmax = role.equals("softmax");
            String kernel = counts.get(0).kernel();
            checks.add(band(kernel + " FLOPs / " + (softmax ? "(N^2 max(D,M))" : "(N D^2 M)"), counts,
                    c -> c.profile().flops() / timeTerm(role, c.n(), c.d(), c.m()),
                    softmax ? SOFTMAX_LOW : LINEAR_LOW, softmax ? SOFTMAX_HIGH : LINEAR_HIGH));
            checks.add(growth(kernel + " FLOPs growth exponent in N", counts,
                    c -> c.profile().flops(), softmax ? 2 : 1, GROWTH_TOLERANCE));
            checks.add(band(kernel + " allocated bytes / 4 " + (softmax ? "max(N^2, ND, NM)" : "max(N D^2, D^2 M)"), counts,
                    c -> c.profile().allocatedBytes() / 4 / memoryTerm(role, c.n(), c.d(), c.m()), MEMORY_LOW, MEMORY_HIGH));
            checks.add(growth(kernel + " allocated bytes growth exponent in N", counts,
                    c -> c.profile().allocatedBytes(), softmax ? 2 : 1, MEMORY_GROWTH_TOLERANCE));
        }
        if (m.timing() != null && m.timingNote() == null) {
            checks.addAll(timeChecks(m.timing(), m.plan().softmaxKernel(), m.plan().linearKernel()));
        }
        return checks;
    }

    /** O-term of time: N^2 max(D,M) (softmax) or N D^2 M (linear form). */
    static double timeTerm(String role, double n, double d, double m) {
        return role.equals("softmax") ? n * n * Math.max(d, m) : n * d * d * m;
    }

    /** O-term of memory, in elements: max(N^2, ND, NM) or max(N D^2, D^2 M). */
    static double memoryTerm(String role, double n, double d, double m) {
        return role.equals("softmax") ? Math.max(n * n, Math.max(n * d, n * m)) : Math.max(n * d * d, d * d * m);
    }

    private static Check band(String what, List<ComplexityClaim.Count> counts, ToDoubleFunction<ComplexityClaim.Count> ratio,
                              double low, double high) {
        ComplexityClaim.Count min = counts.stream().min(Comparator.comparingDouble(ratio)).orElseThrow();
        ComplexityClaim.Count max = counts.stream().max(Comparator.comparingDouble(ratio)).orElseThrow();
        double lo = ratio.applyAsDouble(min);
        double hi = ratio.applyAsDouble(max);
        return new Check(what + " over " + counts.size() + " (N, D, M)", "bounded: O() holds",
                Format.number(lo) + " " + at(min) + " .. " + Format.number(hi) + " " + at(max),
                "within [" + Format.number(low) + ", " + Format.number(high) + "]", lo >= low && hi <= high);
    }

    /** Worst |log(value(N) / value(N0)) / log(N / N0) - p|, N0 the smallest N at each (D, M). */
    private static Check growth(String what, List<ComplexityClaim.Count> counts, ToDoubleFunction<ComplexityClaim.Count> value,
                                int p, double tolerance) {
        double worst = 0;
        ComplexityClaim.Count at = null;
        for (ComplexityClaim.Count c : counts) {
            ComplexityClaim.Count base = counts.stream().filter(b -> b.d() == c.d() && b.m() == c.m())
                    .min(Comparator.comparingInt(ComplexityClaim.Count::n)).orElseThrow();
            if (base.n() == c.n()) {
                continue;
            }
            double exponent = Math.log(value.applyAsDouble(c) / value.applyAsDouble(base)) / Math.log((double) c.n() / base.n());
            double deviation = Math.abs(exponent - p);
            if (deviation >= worst) {
                worst = deviation;
                at = c;
            }
        }
        return Check.atMost(what + ", worst |exponent - " + p + "|", "0 (N^" + p + ")", worst, tolerance,
                at == null ? "one N only" : "worst " + at(at));
    }

    private static String at(ComplexityClaim.Count c) {
        return "(N=" + c.n() + ", D=" + c.d() + ", M=" + c.m() + ")";
    }

    /**
     * Slopes not steeper than predicted, and time / O-term at the top against the middle, per sweep and
     * kernel (the forward times of {@code softmaxKernel} and {@code linearKernel}).
     */
    static List<Check> timeChecks(AttentionTiming.Result r, String softmaxKernel, String linearKernel) {
        List<Check> checks = new ArrayList<>();
        for (String sweep : List.of("N", "D")) {
            for (String role : List.of("softmax", "linear")) {
                String kernel = role.equals("softmax") ? softmaxKernel : linearKernel;
                double predicted = sweep.equals("N") ? (role.equals("softmax") ? 2 : 1) : (role.equals("softmax") ? 1 : 3);
                LogLogFit fit = AttentionTiming.fit(r, sweep, kernel, ComplexityClaim.FORWARD);
                String what = kernel + " time slope in " + sweep + (sweep.equals("N") ? " (D = M = " + r.plan().fixedD() + ")"
                        : " = M (N = " + r.plan().fixedN() + ")");
                if (fit == null || !fit.hasInterval()) {
                    checks.add(new Check(what, "<= " + Format.number(predicted), fit == null ? "fewer than 2 sizes" : fit.describe(),
                            "needs a 95% interval (3 or more samples)", false));
                    continue;
                }
                boolean steeper = fit.low() > predicted;
                boolean implausible = fit.high() < 0;
                checks.add(new Check(what, "<= " + Format.number(predicted) + " (upper bound)", fit.describe(),
                        "95% interval not wholly above " + Format.number(predicted) + " nor below 0 (implausible)",
                        !steeper && !implausible));
                checks.add(topOverMiddle(r, sweep, role, kernel));
            }
        }
        return checks;
    }

    /** The forward times of one kernel in one sweep, by size. */
    private static List<AttentionTiming.Time> series(AttentionTiming.Result r, String sweep, String kernel) {
        return r.times().stream().filter(t -> t.measured() && t.sweep().equals(sweep) && t.kernel().equals(kernel)
                && t.mode().equals(ComplexityClaim.FORWARD)).sorted(Comparator.comparingInt(AttentionTiming.Time::x)).toList();
    }

    private static Check topOverMiddle(AttentionTiming.Result r, String sweep, String role, String kernel) {
        List<AttentionTiming.Time> times = series(r, sweep, kernel);
        AttentionTiming.Time top = times.get(times.size() - 1);
        AttentionTiming.Time middle = times.get(times.size() / 2);
        DescriptiveStatistics ratios = new DescriptiveStatistics();
        for (int i = 0; i < top.seconds().length; i++) {
            ratios.addValue(top.seconds()[i] / timeTerm(role, top.n(), top.d(), top.d())
                    / (middle.seconds()[i] / timeTerm(role, middle.n(), middle.d(), middle.d())));
        }
        return Check.atMost(kernel + " time / O-term at " + sweep + " = " + top.x() + " over " + sweep + " = " + middle.x()
                        + " (median of " + ratios.getN() + " rounds)", "bounded", ratios.getPercentile(50), TOP_OVER_MIDDLE,
                "an exponent one too low gives 4 over a factor 4 in N");
    }

    /**
     * (c), reported without a verdict: the products' share of the linear form's FLOPs at the largest
     * counted size, and the two-term fit of its time over the D sweep, t = a N F + b N F (M+1) (feature
     * maps, products), with the products' share of the fitted time at the top of the sweep.
     */
    static String twoTermReport(ComplexityClaim.Measured m) {
        StringBuilder s = new StringBuilder();
        m.counts().stream().filter(c -> c.role().equals("linear"))
                .max(Comparator.comparingDouble(c -> (double) c.n() * c.d() * c.d() * c.m()))
                .ifPresent(c -> s.append(String.format(Locale.ROOT,
                        "Linear form at N=%d, D=%d, M=%d: products are %.0f%% of the executed FLOPs (%s).", c.n(), c.d(), c.m(),
                        100 * c.productFlops() / c.profile().flops(), c.profile().describe())));
        if (m.timing() != null) {
            double[] fit = twoTermFit(m.timing(), m.plan().linearKernel());
            if (fit != null) {
                s.append(String.format(Locale.ROOT, " Two-term fit of the linear form's time over the D sweep (not judged):"
                        + " t = %.3g N F + %.3g N F (M+1) s; the products' term is %.0f%% of the fitted time at D = %d.",
                        fit[0], fit[1], 100 * fit[2], m.timing().plan().sizesD().get(m.timing().plan().sizesD().size() - 1)));
            }
        }
        return s.toString();
    }

    /** {a, b, products' share at the largest D} of t = a N F + b N F (M+1) over the D sweep's medians; null if under 2 sizes. */
    static double[] twoTermFit(AttentionTiming.Result r, String linearKernel) {
        List<AttentionTiming.Time> times = series(r, "D", linearKernel);
        if (times.size() < 2) {
            return null;
        }
        double[][] x = new double[times.size()][];
        double[] y = new double[times.size()];
        for (int i = 0; i < times.size(); i++) {
            AttentionTiming.Time t = times.get(i);
            double f = 1 + t.d() + t.d() * (t.d() + 1) / 2.0;
            x[i] = new double[] {t.n() * f, t.n() * f * (t.d() + 1)};
            y[i] = new DescriptiveStatistics(t.seconds()).getPercentile(50);
        }
        if (times.size() == 2) {
            double det = x[0][0] * x[1][1] - x[0][1] * x[1][0];
            double a = (y[0] * x[1][1] - y[1] * x[0][1]) / det;
            double b = (x[0][0] * y[1] - x[1][0] * y[0]) / det;
            return new double[] {a, b, share(a, b, x[1])};
        }
        OLSMultipleLinearRegression ols = new OLSMultipleLinearRegression();
        ols.setNoIntercept(true);
        ols.newSampleData(y, x);
        double[] beta = ols.estimateRegressionParameters();
        return new double[] {beta[0], beta[1], share(beta[0], beta[1], x[x.length - 1])};
    }

    private static double share(double a, double b, double[] x) {
        return b * x[1] / (a * x[0] + b * x[1]);
    }
}
