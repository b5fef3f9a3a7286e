package attentionlab.experiments.claims.homework;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import attentionlab.experiments.claims.Check;
import attentionlab.experiments.claims.Claim;
import attentionlab.experiments.claims.ClaimContext;
import attentionlab.experiments.io.Format;
import attentionlab.models.kernel.AttentionKernel;
import attentionlab.models.kernel.AttentionKernels;
import attentionlab.models.kernel.AttentionMask;
import attentionlab.models.kernel.FeatureMap;
import attentionlab.models.kernel.LinearAttentionKernel;
import attentionlab.models.reference.QuadraticAttention;
import attentionlab.models.reference.RelativeError;
import attentionlab.models.reference.Samples;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Homework 6(b): sim(q, k) = (q.k + 1)^2 = phi(q).phi(k) with
 * phi(x) = [1, sqrt2 x_i, x_i^2, sqrt2 x_i x_j (i < j)] of width F = 1 + D + D(D+1)/2, and the linear form
 * V'_i = phi(Q_i) (sum_j phi(K_j)^T V_j) / (phi(Q_i) sum_j phi(K_j)^T) equals the N x N form
 * sum_j (Q_i.K_j + 1)^2 V_j / sum_j (Q_i.K_j + 1)^2. All in float64.
 */
public final class QuadraticKernelClaim implements Claim<QuadraticKernelClaim.Measured> {

    /** float64 rounding over sums of a few hundred terms. */
    public static final double MAX_RELATIVE_ERROR = 1e-10;

    /** phi at one width D: feature count and max relative error of phi(q).phi(k) against (q.k+1)^2. */
    public record Width(int d, long featureDim, double kernelRelativeError) {}

    /** @param linearVsQuadratic mask case -> relative error of the linear form against the N x N form */
    public record Measured(List<Width> widths, Map<String, Double> linearVsQuadratic) {}

    @Override
    public String id() {
        return "quadratic-kernel";
    }

    @Override
    public String homeworkPart() {
        return "6(b)";
    }

    @Override
    public String prediction() {
        return "phi(q).phi(k) = (q.k + 1)^2 with F = 1 + D + D(D+1)/2 features; the linear form equals the N x N form";
    }

    @Override
    public String tolerance() {
        return "feature count exact; relative errors <= 1e-10 (float64)";
    }

    @Override
    public Measured measure(ClaimContext context) {
        List<Width> widths = new ArrayList<>();
        Map<String, Double> forms = new LinkedHashMap<>();
        AttentionKernel kernel = AttentionKernels.create("quadratic");
        FeatureMap phi = ((LinearAttentionKernel) kernel).featureMap();
        try (NDManager m = NDManager.newBaseManager()) {
            int seed = 200;
            for (int d : new int[] {1, 2, 3, 4, 8, 16}) {
                NDArray q = Samples.normal(m, seed++, DataType.FLOAT64, 256, d); // [P,D]
                NDArray k = Samples.normal(m, seed++, DataType.FLOAT64, 256, d);
                NDArray phiQ = phi.apply(q); // [P,F]
                NDArray viaFeatures = phiQ.mul(phi.apply(k)).sum(new int[] {1}); // [P]
                NDArray direct = q.mul(k).sum(new int[] {1}).add(1).square(); // [P]
                widths.add(new Width(d, phiQ.getShape().getLastDimension(), RelativeError.of(viaFeatures, direct)));
            }
            int b = 2;
            int h = 2;
            int n = context.size("positions in the linear vs N x N comparison", 64, 24);
            int d = 8;
            NDArray q = Samples.normal(m, seed++, DataType.FLOAT64, b, h, n, d);
            NDArray k = Samples.normal(m, seed++, DataType.FLOAT64, b, h, n, d);
            NDArray v = Samples.normal(m, seed++, DataType.FLOAT64, b, h, n, d);
            boolean[] valid = new boolean[b * n];
            for (int i = 0; i < valid.length; i++) {
                valid[i] = i % n < n - 5; // the last 5 positions of each sequence are padding
            }
            NDArray keyValid = m.create(valid).reshape(b, n);
            for (AttentionMask mask : List.of(AttentionMask.NONE, AttentionMask.CAUSAL, AttentionMask.of(false, keyValid))) {
                String name = mask.isEmpty() ? "none" : mask.causal() ? "causal" : "padding";
                forms.put(name, RelativeError.of(kernel.attend(q, k, v, mask), QuadraticAttention.forward(q, k, v, mask)));
            }
        }
        for (Width w : widths) {
            context.log("D=" + w.d() + ": F=" + w.featureDim() + ", kernel relative error " + Format.number(w.kernelRelativeError()));
        }
        context.log("linear form vs N x N form, relative error " + forms);
        return new Measured(widths, forms);
    }

    @Override
    public List<Check> judge(Measured measured) {
        List<Check> checks = new ArrayList<>();
        for (Width w : measured.widths()) {
            long f = 1 + w.d() + (long) w.d() * (w.d() + 1) / 2;
            checks.add(Check.that("feature count F at D=" + w.d(), String.valueOf(f), String.valueOf(w.featureDim()), f == w.featureDim()));
            checks.add(Check.atMost("phi(q).phi(k) vs (q.k+1)^2 at D=" + w.d() + ", relative error", "equal",
                    w.kernelRelativeError(), MAX_RELATIVE_ERROR, "float64"));
        }
        measured.linearVsQuadratic().forEach((mask, err) -> checks.add(Check.atMost(
                "linear form vs N x N form (mask: " + mask + "), relative error", "equal", err, MAX_RELATIVE_ERROR, "float64")));
        return checks;
    }
}
