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
import attentionlab.models.kernel.AttentionKernel;
import attentionlab.models.kernel.AttentionKernels;
import attentionlab.models.kernel.KernelOptions;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;

/**
 * Homework 1(a-c): for q, k iid N(mu, sigma^2 I) in R^d, E[q.k] = |mu|^2 and
 * Var(q.k) = d sigma^4 + 2 sigma^2 |mu|^2 (= d for mu = 0, sigma = 1), so q.k / sqrt(d) has variance 1.
 *
 * <p>Monte Carlo through the project's softmax kernel: n pairs per case drawn with the engine's normal
 * sampler, the logits read back from the kernel's weights ({@link SoftmaxLogits}). q.k is the logit of
 * the kernel with its scaling switched off; q.k / sqrt(d) the logit of the registered softmax kernel,
 * on independent draws. Sample mean and variance are compared with the prediction within 3 standard
 * errors, SE(mean) = sqrt(s^2 / n) and SE(s^2) = sqrt((m4 - s^4 (n-3)/(n-1)) / n), m4 the fourth
 * central sample moment.
 */
public final class ScalingStatsClaim implements Claim<ScalingStatsClaim.Measured> {

    /** Standard errors a Monte Carlo estimate may be from its prediction. */
    public static final double STANDARD_ERRORS = 3;

    /**
     * One sampled setting. mu is the same in every component, so |mu|^2 = d mu^2.
     *
     * @param meanDot, varDot moments of q.k (the unscaled kernel's logits), with their standard errors
     * @param meanScaled, varScaled moments of the softmax kernel's logits on independent draws
     */
    public record Case(int d, double mu, double sigma, int samples, double meanDot, double seMeanDot,
                       double varDot, double seVarDot, double meanScaled, double seMeanScaled,
                       double varScaled, double seVarScaled) {

        public double predictedMean() {
            return d * mu * mu;
        }

        public double predictedVar() {
            return d * Math.pow(sigma, 4) + 2 * sigma * sigma * d * mu * mu;
        }
    }

    public record Measured(long seed, List<Case> cases) {}

    private final AttentionKernel scaled;
    private final AttentionKernel unscaled;

    /** Measures the registered softmax kernel, with and without its 1/sqrt(d) scaling. */
    public ScalingStatsClaim() {
        this(AttentionKernels.create("softmax"), AttentionKernels.create("softmax", new KernelOptions(1.0, false)));
    }

    /**
     * @param scaled the kernel whose logits should be q.k / sqrt(d)
     * @param unscaled the kernel whose logits should be q.k
     */
    public ScalingStatsClaim(AttentionKernel scaled, AttentionKernel unscaled) {
        this.scaled = scaled;
        this.unscaled = unscaled;
    }

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
        return "q, k iid N(mu, sigma^2 I): E[q.k] = |mu|^2, Var(q.k) = d sigma^4 + 2 sigma^2 |mu|^2 (= d for mu = 0, sigma = 1);"
                + " the softmax kernel's logits q.k / sqrt(d) have mean |mu|^2 / sqrt(d) and variance Var(q.k) / d"
                + " (= 1 for mu = 0, sigma = 1)";
    }

    @Override
    public String tolerance() {
        return "Monte Carlo estimates within 3 standard errors of the prediction";
    }

    @Override
    public Measured measure(ClaimContext context) {
        int n = context.size("pairs per case", 200_000, 20_000);
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
            context.log(String.format(java.util.Locale.ROOT, "d=%d mu=%.2f sigma=%.2f: mean %.4f (pred %.4f), var %.4f (pred %.4f),"
                    + " kernel logits: var %.4f (pred %.4f)", c.d(), c.mu(), c.sigma(), c.meanDot(), c.predictedMean(), c.varDot(),
                    c.predictedVar(), c.varScaled(), c.predictedVar() / c.d()));
        }
        context.figure(chart(cases), "variance-vs-d");
        return new Measured(seed, cases);
    }

    /** n pairs (q, k) through each kernel, independent draws for each, from the engine's current seed. */
    Case sample(NDManager manager, int d, double mu, double sigma, int n) {
        Moments dot = Moments.of(logits(manager, unscaled, d, mu, sigma, n));
        Moments logit = Moments.of(logits(manager, scaled, d, mu, sigma, n));
        return new Case(d, mu, sigma, n, dot.mean(), dot.seMean(), dot.variance(), dot.seVariance(),
                logit.mean(), logit.seMean(), logit.variance(), logit.seVariance());
    }

    /** The kernel's logit for each of n fresh pairs, drawn in chunks: one query against one key per batch row. */
    private static double[] logits(NDManager manager, AttentionKernel kernel, int d, double mu, double sigma, int n) {
        double[] out = new double[n];
        int chunk = Math.max(1, 4_000_000 / d);
        for (int start = 0; start < n; start += chunk) {
            int rows = Math.min(chunk, n - start);
            try (NDManager scope = manager.newSubManager()) {
                Shape shape = new Shape(rows, 1, 1, d); // [B = pairs, H = 1, N = M = 1, D]
                NDArray q = scope.randomNormal((float) mu, (float) sigma, shape, DataType.FLOAT32).toType(DataType.FLOAT64, false);
                NDArray k = scope.randomNormal((float) mu, (float) sigma, shape, DataType.FLOAT32).toType(DataType.FLOAT64, false);
                System.arraycopy(SoftmaxLogits.of(kernel, q, k).toDoubleArray(), 0, out, start, rows); // [rows,1,1,1]
            }
        }
        return out;
    }

    @Override
    public List<Check> judge(Measured measured) {
        List<Check> checks = new ArrayList<>();
        for (Case c : measured.cases()) {
            String at = " (d=" + c.d() + ", mu=" + c.mu() + ", sigma=" + c.sigma() + ")";
            double root = Math.sqrt(c.d());
            checks.add(Check.withinStandardErrors("E[q.k]" + at, c.predictedMean(), c.meanDot(), c.seMeanDot(), STANDARD_ERRORS));
            checks.add(Check.withinStandardErrors("Var(q.k)" + at, c.predictedVar(), c.varDot(), c.seVarDot(), STANDARD_ERRORS));
            checks.add(Check.withinStandardErrors("E[softmax logit q.k / sqrt d]" + at, c.predictedMean() / root, c.meanScaled(),
                    c.seMeanScaled(), STANDARD_ERRORS));
            checks.add(Check.withinStandardErrors("Var(softmax logit q.k / sqrt d)" + at, c.predictedVar() / c.d(), c.varScaled(),
                    c.seVarScaled(), STANDARD_ERRORS));
        }
        return checks;
    }

    private static XYChart chart(List<Case> cases) {
        List<Case> standard = cases.stream().filter(c -> c.mu() == 0 && c.sigma() == 1).toList();
        double[] d = standard.stream().mapToDouble(Case::d).toArray();
        XYChart chart = Charts.lineChart("Var(q.k) grows like d; the softmax logit q.k / sqrt d keeps variance 1 (mu = 0, sigma = 1)",
                "d", "variance");
        chart.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true);
        Charts.dashed(chart, "prediction: d", d, d, Charts.color(0));
        Charts.points(chart, "measured Var(q.k)", d, standard.stream().mapToDouble(Case::varDot).toArray(), Charts.color(0));
        Charts.dashed(chart, "prediction: 1", d, standard.stream().mapToDouble(c -> 1.0).toArray(), Charts.color(1));
        Charts.points(chart, "measured Var(softmax logit)", d, standard.stream().mapToDouble(Case::varScaled).toArray(), Charts.color(1));
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
