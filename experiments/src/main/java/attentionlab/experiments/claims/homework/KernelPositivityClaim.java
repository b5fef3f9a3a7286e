package attentionlab.experiments.claims.homework;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import attentionlab.experiments.claims.Check;
import attentionlab.experiments.claims.Claim;
import attentionlab.experiments.claims.ClaimContext;
import attentionlab.experiments.io.Format;
import attentionlab.models.kernel.AttentionKernel;
import attentionlab.models.kernel.AttentionKernels;
import attentionlab.models.kernel.AttentionMask;
import attentionlab.models.kernel.FeatureMap;
import attentionlab.models.kernel.IdentityFeatureMap;
import attentionlab.models.kernel.LinearAttentionKernel;
import attentionlab.models.reference.Samples;
import java.util.ArrayList;
import java.util.List;

/**
 * Homework 6(a): V'_i = sum_j sim(Q_i, K_j) V_j / sum_j sim(Q_i, K_j) is well defined when the
 * denominator is not 0; with sim >= 0 and at least one positive term it is positive. Softmax
 * (sim = exp(q.k / sqrt D)) and the quadratic kernel (sim = phi(q).phi(k) = (q.k + 1)^2) are both
 * non-negative; plain q.k is not, and the project refuses it.
 *
 * <p>Measured in float64 on random Q, K at four scales (the largest puts softmax logits past 700, where
 * exp overflows unless the kernel normalises stably), through the kernels: their weights
 * w_ij = sim_ij / sum_j sim_ij (non-negative, every row summing to 1 means a positive, finite
 * denominator) and their outputs (finite); for the quadratic kernel also the similarity and the row
 * denominator its own feature map forms. The quadratic kernel's degenerate rows, where every visible
 * similarity is 0, must come out finite: a row whose keys are all padded (0/0 exactly, finite only
 * through the guard max(denominator, 1e-6)) and a row whose every key has q.k = -1 (0 up to rounding).
 */
public final class KernelPositivityClaim implements Claim<KernelPositivityClaim.Measured> {

    /** Relative float64 rounding allowed below 0 for a similarity that is a square. */
    public static final double ROUNDING = 1e-12;
    /** How far a row of float64 weights may sum from 1. */
    public static final double ROW_SUM_ROUNDING = 1e-9;
    static final double[] SCALES = {0.5, 1, 2, 16};

    /** One kernel at one input scale, through the kernel: smallest weight, largest |row sum - 1|, output finite. */
    public record Weights(String kernel, double scale, double minWeight, double maxRowSumError, boolean outputFinite) {}

    /** The quadratic kernel at one input scale, by its feature map: min/max phi(q).phi(k), min phi(Q_i).sum_j phi(K_j). */
    public record Similarity(double scale, double minSim, double maxSim, double minDenominator) {}

    /**
     * @param degenerateDenominator the quadratic denominator when every key has q.k = -1
     * @param degenerateOutputFinite whether the quadratic kernel's output is finite there
     * @param paddedRowOutputFinite whether the quadratic kernel's output is finite for a query whose keys are all padded
     * @param identityMinSim the smallest q.k = phi(q).phi(k) with phi(x) = x on the same inputs (plain linear attention)
     * @param identityRejected whether building linear attention with phi(x) = x fails
     */
    public record Measured(List<Weights> weights, List<Similarity> similarities, double degenerateDenominator,
                           boolean degenerateOutputFinite, boolean paddedRowOutputFinite, double identityMinSim, boolean identityRejected,
                           String identityMessage) {}

    private final AttentionKernel softmax;
    private final AttentionKernel quadratic;
    private final FeatureMap quadraticMap;

    /** Measures the registered softmax and quadratic kernels. */
    public KernelPositivityClaim() {
        this(AttentionKernels.create("softmax"), (LinearAttentionKernel) AttentionKernels.create("quadratic"));
    }

    private KernelPositivityClaim(AttentionKernel softmax, LinearAttentionKernel quadratic) {
        this(softmax, quadratic, quadratic.featureMap());
    }

    /**
     * @param softmax the kernel measured as softmax
     * @param quadratic the kernel measured as the quadratic kernel (weights, outputs, the degenerate row)
     * @param quadraticMap the feature map whose similarity and denominator are measured
     */
    public KernelPositivityClaim(AttentionKernel softmax, AttentionKernel quadratic, FeatureMap quadraticMap) {
        this.softmax = softmax;
        this.quadratic = quadratic;
        this.quadraticMap = quadraticMap;
    }

    @Override
    public String id() {
        return "kernel-positivity";
    }

    @Override
    public String homeworkPart() {
        return "6(a)";
    }

    @Override
    public String prediction() {
        return "softmax and quadratic similarities are >= 0 with a positive denominator per row, so V'_i is finite;"
                + " an arbitrary (possibly negative) similarity such as q.k gives no such guarantee";
    }

    @Override
    public String tolerance() {
        return "weights and similarities >= -1e-12 x the largest (float64 rounding); rows of weights sum to 1 within 1e-9;"
                + " denominators > 0; outputs and the degenerate row finite";
    }

    @Override
    public Measured measure(ClaimContext context) {
        int b = 2;
        int h = 2;
        int n = context.size("positions per sequence", 128, 32);
        int d = 8;
        List<Weights> weights = new ArrayList<>();
        List<Similarity> similarities = new ArrayList<>();
        double identityMin = Double.POSITIVE_INFINITY;
        FeatureMap phi = quadraticMap;
        try (NDManager m = NDManager.newBaseManager()) {
            int seed = 100;
            for (double scale : SCALES) {
                NDArray q = Samples.normal(m, seed++, DataType.FLOAT64, b, h, n, d).mul(scale); // [B,H,N,D]
                NDArray k = Samples.normal(m, seed++, DataType.FLOAT64, b, h, n, d).mul(scale); // [B,H,N,D]
                NDArray v = Samples.normal(m, seed++, DataType.FLOAT64, b, h, n, d); // [B,H,N,D]
                weights.add(weights(softmax, scale, q, k, v));
                weights.add(weights(quadratic, scale, q, k, v));
                NDArray sim = similarity(phi, q, k); // [B,H,N,N]
                similarities.add(new Similarity(scale, sim.min().getDouble(), sim.max().getDouble(),
                        denominators(phi, q, k).min().getDouble()));
                identityMin = Math.min(identityMin, similarity(new IdentityFeatureMap(), q, k).min().getDouble());
            }
            // Degenerate row: q = e_1, every key = -e_1 + (anything orthogonal to e_1): q.k = -1, sim = 0.
            NDArray q = m.zeros(new Shape(1, 1, 1, d), DataType.FLOAT64);
            q.set(new NDIndex("..., 0"), 1.0);
            NDArray k = Samples.normal(m, 7, DataType.FLOAT64, 1, 1, 5, d);
            k.set(new NDIndex("..., 0"), -1.0);
            NDArray v = Samples.normal(m, 8, DataType.FLOAT64, 1, 1, 5, d);
            double degenerateDen = denominators(phi, q, k).getDouble(0, 0, 0);
            boolean finite = finite(quadratic.attend(q, k, v, AttentionMask.NONE));
            NDArray noKey = m.create(new boolean[5]).reshape(1, 5); // [B,M]: every key padded
            boolean paddedFinite = finite(quadratic.attend(q, k, v, AttentionMask.of(false, noKey)));
            IdentityRefusal refusal = IdentityRefusal.attempt();
            weights.forEach(w -> context.log(w.kernel() + " x" + Format.number(w.scale()) + ": min weight "
                    + Format.number(w.minWeight()) + ", max |row sum - 1| " + Format.number(w.maxRowSumError())
                    + ", output finite " + w.outputFinite()));
            similarities.forEach(s -> context.log("quadratic x" + Format.number(s.scale()) + ": min sim " + Format.number(s.minSim())
                    + ", min denominator " + Format.number(s.minDenominator())));
            context.log("degenerate quadratic rows: q.k = -1: denominator " + Format.number(degenerateDen) + ", output finite " + finite
                    + "; every key padded: output finite " + paddedFinite + "; min q.k " + Format.number(identityMin)
                    + ", identity map rejected " + refusal.rejected());
            return new Measured(weights, similarities, degenerateDen, finite, paddedFinite, identityMin, refusal.rejected(),
                    refusal.message());
        }
    }

    private static Weights weights(AttentionKernel kernel, double scale, NDArray q, NDArray k, NDArray v) {
        NDArray w = kernel.weights(q, k, AttentionMask.NONE); // [B,H,N,N]
        double rowSumError = w.sum(new int[] {-1}).sub(1.0).abs().max().getDouble(); // max_i |sum_j w_ij - 1| (no autograd here)
        return new Weights(kernel.name(), scale, w.min().getDouble(), rowSumError, finite(kernel.attend(q, k, v, AttentionMask.NONE)));
    }

    /** phi(Q) phi(K)^T: [B,H,N,D] x [B,H,M,D] -> [B,H,N,M]. */
    private static NDArray similarity(FeatureMap phi, NDArray q, NDArray k) {
        return phi.apply(q).matMul(phi.apply(k).transpose(0, 1, 3, 2));
    }

    /** The linear form's denominator phi(Q_i) . sum_j phi(K_j): [B,H,N]. */
    private static NDArray denominators(FeatureMap phi, NDArray q, NDArray k) {
        return phi.apply(q).mul(phi.apply(k).sum(new int[] {2}, true)).sum(new int[] {-1});
    }

    private static boolean finite(NDArray x) {
        return x.isNaN().logicalOr(x.isInfinite()).none().getBoolean();
    }

    /** Whether linear attention refuses phi(x) = x, whose similarity q.k can be negative. */
    private record IdentityRefusal(boolean rejected, String message) {

        static IdentityRefusal attempt() {
            try {
                new LinearAttentionKernel("linear", new IdentityFeatureMap());
                return new IdentityRefusal(false, "accepted");
            } catch (IllegalArgumentException e) {
                return new IdentityRefusal(true, e.getMessage());
            }
        }
    }

    @Override
    public List<Check> judge(Measured measured) {
        List<Check> checks = new ArrayList<>();
        for (Weights w : measured.weights()) {
            String at = w.kernel() + ", inputs x" + Format.number(w.scale());
            checks.add(Check.atLeast("min weight sim_ij / sum_j sim_ij (" + at + ")", ">= 0", w.minWeight(), -ROUNDING, "float64 rounding"));
            checks.add(Check.atMost("max |sum_j w_ij - 1| (" + at + "): a positive, finite denominator", "0", w.maxRowSumError(),
                    ROW_SUM_ROUNDING, "float64 rounding"));
            checks.add(Check.that("output finite (" + at + ")", "finite", w.outputFinite() ? "finite" : "NaN/inf", w.outputFinite()));
        }
        for (Similarity s : measured.similarities()) {
            String at = "quadratic feature map, inputs x" + Format.number(s.scale());
            checks.add(Check.atLeast("min sim phi(q).phi(k) (" + at + ")", ">= 0", s.minSim(), -ROUNDING * Math.max(1, s.maxSim()),
                    "float64 rounding"));
            checks.add(Check.above("min row denominator (" + at + ")", "> 0", s.minDenominator(), 0));
        }
        checks.add(Check.that("quadratic kernel, every key at q.k = -1: output finite", "finite",
                measured.degenerateOutputFinite() ? "finite (denominator " + Format.number(measured.degenerateDenominator()) + ")" : "NaN/inf",
                measured.degenerateOutputFinite()));
        checks.add(Check.that("quadratic kernel, every key padded: output finite (guarded 0/0)", "finite",
                measured.paddedRowOutputFinite() ? "finite" : "NaN/inf", measured.paddedRowOutputFinite()));
        checks.add(Check.that("linear attention with sim = q.k (min measured " + Format.number(measured.identityMinSim()) + ")",
                "refused: can be negative", measured.identityRejected() ? "refused" : "accepted",
                measured.identityRejected() && measured.identityMinSim() < 0));
        return checks;
    }
}
