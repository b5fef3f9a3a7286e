package attentionlab.experiments.claims.homework;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import attentionlab.experiments.claims.Check;
import attentionlab.experiments.claims.Claim;
import attentionlab.experiments.claims.ClaimContext;
import attentionlab.experiments.io.Format;
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
 * <p>Measured in float64 on random Q, K at three scales: the smallest similarity and the smallest
 * row denominator, each exactly as the kernel forms it; the quadratic kernel's degenerate row (every
 * key at q.k = -1, so every sim is 0) must come out finite through the guard.
 */
public final class KernelPositivityClaim implements Claim<KernelPositivityClaim.Measured> {

    /** Relative float64 rounding allowed below 0 for a similarity that is a square. */
    public static final double ROUNDING = 1e-12;

    /** One kernel at one input scale: min/max similarity and min row denominator. */
    public record Case(String kernel, double scale, double minSim, double maxSim, double minDenominator) {}

    /**
     * @param degenerateDenominator the quadratic denominator when every key has q.k = -1
     * @param degenerateOutputFinite whether the quadratic kernel's output is finite there
     * @param identityMinSim the smallest q.k on the same inputs (plain linear attention)
     * @param identityRejected whether building linear attention with phi(x) = x fails
     */
    public record Measured(List<Case> cases, double degenerateDenominator, boolean degenerateOutputFinite,
                           double identityMinSim, boolean identityRejected, String identityMessage) {}

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
        return "min similarity >= -1e-12 x max similarity (float64 rounding); denominators > 0; the degenerate row finite";
    }

    @Override
    public Measured measure(ClaimContext context) {
        int b = 2;
        int h = 2;
        int n = context.quick() ? 32 : 128;
        int d = 8;
        List<Case> cases = new ArrayList<>();
        double identityMin = Double.POSITIVE_INFINITY;
        try (NDManager m = NDManager.newBaseManager()) {
            FeatureMap quadratic = ((LinearAttentionKernel) AttentionKernels.create("quadratic")).featureMap();
            int seed = 100;
            for (double scale : new double[] {0.5, 1, 2}) {
                NDArray q = Samples.normal(m, seed++, DataType.FLOAT64, b, h, n, d).mul(scale); // [B,H,N,D]
                NDArray k = Samples.normal(m, seed++, DataType.FLOAT64, b, h, n, d).mul(scale); // [B,H,N,D]
                NDArray dots = q.matMul(k.transpose(0, 1, 3, 2)); // [B,H,N,N]
                NDArray softmaxSim = dots.div(Math.sqrt(d)).exp();
                cases.add(stats("softmax", scale, softmaxSim, softmaxSim.sum(new int[] {-1})));
                NDArray phiQ = quadratic.apply(q); // [B,H,N,F]
                NDArray phiK = quadratic.apply(k);
                NDArray quadSim = phiQ.matMul(phiK.transpose(0, 1, 3, 2)); // [B,H,N,N]
                NDArray quadDen = phiQ.mul(phiK.sum(new int[] {2}, true)).sum(new int[] {-1}); // phi(Q_i) . sum_j phi(K_j): [B,H,N]
                cases.add(stats("quadratic", scale, quadSim, quadDen));
                identityMin = Math.min(identityMin, dots.min().getDouble());
            }
            // Degenerate row: q = e_1, every key = -e_1 + (anything orthogonal to e_1): q.k = -1, sim = 0.
            NDArray q = m.zeros(new ai.djl.ndarray.types.Shape(1, 1, 1, d), DataType.FLOAT64);
            q.set(new ai.djl.ndarray.index.NDIndex("..., 0"), 1.0);
            NDArray k = Samples.normal(m, 7, DataType.FLOAT64, 1, 1, 5, d);
            k.set(new ai.djl.ndarray.index.NDIndex("..., 0"), -1.0);
            NDArray v = Samples.normal(m, 8, DataType.FLOAT64, 1, 1, 5, d);
            double degenerateDen = quadratic.apply(q).mul(quadratic.apply(k).sum(new int[] {2}, true)).sum().getDouble();
            NDArray out = AttentionKernels.create("quadratic").attend(q, k, v, AttentionMask.NONE);
            boolean finite = out.isNaN().logicalOr(out.isInfinite()).none().getBoolean();
            boolean rejected;
            String message;
            try {
                new LinearAttentionKernel("linear", new IdentityFeatureMap());
                rejected = false;
                message = "accepted";
            } catch (IllegalArgumentException e) {
                rejected = true;
                message = e.getMessage();
            }
            for (Case c : cases) {
                context.log(c.kernel() + " scale " + c.scale() + ": min sim " + Format.number(c.minSim())
                        + ", min denominator " + Format.number(c.minDenominator()));
            }
            context.log("degenerate quadratic row: denominator " + Format.number(degenerateDen) + ", output finite " + finite
                    + "; min q.k " + Format.number(identityMin) + ", identity map rejected " + rejected);
            return new Measured(cases, degenerateDen, finite, identityMin, rejected, message);
        }
    }

    private static Case stats(String kernel, double scale, NDArray sim, NDArray denominators) {
        return new Case(kernel, scale, sim.min().getDouble(), sim.max().getDouble(), denominators.min().getDouble());
    }

    @Override
    public List<Check> judge(Measured measured) {
        List<Check> checks = new ArrayList<>();
        for (Case c : measured.cases()) {
            String at = c.kernel() + ", inputs x" + Format.number(c.scale());
            checks.add(Check.atLeast("min sim (" + at + ")", ">= 0", c.minSim(), -ROUNDING * Math.max(1, c.maxSim()), "float64 rounding"));
            checks.add(Check.above("min row denominator (" + at + ")", "> 0", c.minDenominator(), 0));
        }
        checks.add(Check.that("quadratic kernel, every key at q.k = -1: output finite (guarded 0/0)", "finite",
                measured.degenerateOutputFinite() ? "finite (denominator " + Format.number(measured.degenerateDenominator()) + ")" : "NaN/inf",
                measured.degenerateOutputFinite()));
        checks.add(Check.that("linear attention with sim = q.k (min measured " + Format.number(measured.identityMinSim()) + ")",
                "refused: can be negative", measured.identityRejected() ? "refused" : "accepted",
                measured.identityRejected() && measured.identityMinSim() < 0));
        return checks;
    }
}
