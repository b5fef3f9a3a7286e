package attentionlab.experiments.claims.homework;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import attentionlab.experiments.claims.Check;
import attentionlab.experiments.claims.Claim;
import attentionlab.experiments.claims.ClaimContext;
import attentionlab.experiments.plot.Charts;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;

/**
 * Homework 1(a-c): for q, k iid N(mu, sigma^2 I) in R^d, E[q.k] = |mu|^2 and
 * Var(q.k) = d sigma^4 + 2 sigma^2 |mu|^2 (= d for mu = 0, sigma = 1), so q.k / sqrt(d) has variance 1.
 *
 * <p>Monte Carlo with the engine's normal sampler: n pairs per case; the sample mean and variance are
 * compared with the prediction within 3 standard errors, SE(mean) = sqrt(s^2 / n) and
 * SE(s^2) = sqrt((m4 - s^4 (n-3)/(n-1)) / n), m4 the fourth central sample moment.
 */
public final class ScalingStatsClaim implements Claim<ScalingStatsClaim.Measured> {

    /** Standard errors a Monte Carlo estimate may be from its prediction. */
    public static final double STANDARD_ERRORS = 3;

    /** One sampled setting. mu is the same in every component, so |mu|^2 = d mu^2. */
    public record Case(int d, double mu, double sigma, int samples, double meanDot, double seMeanDot,
                       double varDot, double seVarDot, double varScaled, double seVarScaled) {

        public double predictedMean() {
            return d * mu * mu;
        }

        public double predictedVar() {
            return d * Math.pow(sigma, 4) + 2 * sigma * sigma * d * mu * mu;
        }
    }

    public record Measured(long seed, List<Case> cases) {}

    @Override
    public String id() {
        return "scaling-stats";
    }

    @Override
    public String homeworkPart() {
        return "1(a-c)";
    }

    @Override
    public String prediction() {
        return "q, k iid N(mu, sigma^2 I): E[q.k] = |mu|^2, Var(q.k) = d sigma^4 + 2 sigma^2 |mu|^2 (= d for mu = 0, sigma = 1),"
                + " Var(q.k / sqrt(d)) = 1 for mu = 0, sigma = 1";
    }

    @Override
    public String tolerance() {
        return "Monte Carlo estimates within 3 standard errors of the prediction";
    }

    @Override
    public Measured measure(ClaimContext context) {
        int n = context.quick() ? 20_000 : 200_000;
        long seed = 1;
        List<Case> cases = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(Math.toIntExact(seed));
            for (int d : new int[] {4, 16, 64, 256}) {
                cases.add(sample(manager, d, 0, 1, n));
            }
            cases.add(sample(manager, 16, 0.5, 1, n));
            cases.add(sample(manager, 8, 1, 0.5, n));
        }
        for (Case c : cases) {
            context.log(String.format(java.util.Locale.ROOT, "d=%d mu=%.2f sigma=%.2f: mean %.4f (pred %.4f), var %.4f (pred %.4f)",
                    c.d(), c.mu(), c.sigma(), c.meanDot(), c.predictedMean(), c.varDot(), c.predictedVar()));
        }
        context.figure(chart(cases), "variance-vs-d");
        return new Measured(seed, cases);
    }

    /** Draws n pairs (q, k) in chunks and returns the moments of q.k. */
    static Case sample(NDManager manager, int d, double mu, double sigma, int n) {
        double[] dots = new double[n];
        int chunk = Math.max(1, 4_000_000 / d);
        for (int start = 0; start < n; start += chunk) {
            int rows = Math.min(chunk, n - start);
            try (NDManager scope = manager.newSubManager()) {
                NDArray q = scope.randomNormal((float) mu, (float) sigma, new Shape(rows, d), DataType.FLOAT32);
                NDArray k = scope.randomNormal((float) mu, (float) sigma, new Shape(rows, d), DataType.FLOAT32);
                double[] chunkDots = q.toType(DataType.FLOAT64, false).mul(k.toType(DataType.FLOAT64, false))
                        .sum(new int[] {1}).toDoubleArray(); // [rows, d] -> [rows]
                System.arraycopy(chunkDots, 0, dots, start, rows);
            }
        }
        Moments m = Moments.of(dots);
        return new Case(d, mu, sigma, n, m.mean(), m.seMean(), m.variance(), m.seVariance(),
                m.variance() / d, m.seVariance() / d);
    }

    @Override
    public List<Check> judge(Measured measured) {
        List<Check> checks = new ArrayList<>();
        for (Case c : measured.cases()) {
            String at = " (d=" + c.d() + ", mu=" + c.mu() + ", sigma=" + c.sigma() + ")";
            checks.add(Check.withinStandardErrors("E[q.k]" + at, c.predictedMean(), c.meanDot(), c.seMeanDot(), STANDARD_ERRORS));
            checks.add(Check.withinStandardErrors("Var(q.k)" + at, c.predictedVar(), c.varDot(), c.seVarDot(), STANDARD_ERRORS));
            if (c.mu() == 0 && c.sigma() == 1) {
                checks.add(Check.withinStandardErrors("Var(q.k / sqrt d)" + at, 1, c.varScaled(), c.seVarScaled(), STANDARD_ERRORS));
            }
        }
        return checks;
    }

    private static XYChart chart(List<Case> cases) {
        List<Case> standard = cases.stream().filter(c -> c.mu() == 0 && c.sigma() == 1).toList();
        double[] d = standard.stream().mapToDouble(Case::d).toArray();
        XYChart chart = Charts.lineChart("Var(q.k) grows like d; Var(q.k / sqrt d) stays 1 (mu = 0, sigma = 1)", "d", "variance");
        chart.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true);
        Charts.dashed(chart, "prediction: d", d, d, Charts.color(0));
        Charts.points(chart, "measured Var(q.k)", d, standard.stream().mapToDouble(Case::varDot).toArray(), Charts.color(0));
        Charts.dashed(chart, "prediction: 1", d, standard.stream().mapToDouble(c -> 1.0).toArray(), Charts.color(1));
        Charts.points(chart, "measured Var(q.k / sqrt d)", d, standard.stream().mapToDouble(Case::varScaled).toArray(), Charts.color(1));
        return chart;
    }

    /** Sample moments with their standard errors. */
    record Moments(double mean, double seMean, double variance, double seVariance) {

        static Moments of(double[] x) {
            int n = x.length;
            double mean = 0;
            for (double v : x) {
                mean += v;
            }
            mean /= n;
            double m2 = 0;
            double m4 = 0;
            for (double v : x) {
                double c = (v - mean) * (v - mean);
                m2 += c;
                m4 += c * c;
            }
            double s2 = m2 / (n - 1);
            m4 /= n;
            double seVar = Math.sqrt(Math.max(0, m4 - s2 * s2 * (n - 3.0) / (n - 1.0)) / n);
            return new Moments(mean, Math.sqrt(s2 / n), s2, seVar);
        }
    }
}
