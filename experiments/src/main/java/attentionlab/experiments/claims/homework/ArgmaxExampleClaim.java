package attentionlab.experiments.claims.homework;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import attentionlab.experiments.claims.Check;
import attentionlab.experiments.claims.Claim;
import attentionlab.experiments.claims.ClaimContext;
import attentionlab.experiments.io.Format;
import attentionlab.models.kernel.AttentionKernel;
import attentionlab.models.kernel.AttentionKernels;
import attentionlab.models.kernel.AttentionMask;
import attentionlab.models.kernel.KernelOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Homework 2(a): q = [1,1,2] against keys (1,2,0), (0,3,4), (5,0,0), (0,0,1) scores 3, 11, 5, 2, so
 * argmax attention returns the second value, [1,4,3].
 *
 * <p>Measured through the project's kernels, in float64: the scores are the logits of the softmax
 * kernel with its scaling off (the dot products the softmax family and argmax rank, read back from its
 * weights by {@link SoftmaxLogits}); the output is the registered argmax kernel's. The scaled softmax
 * output on the same inputs is recorded for contrast.
 */
public final class ArgmaxExampleClaim implements Claim<ArgmaxExampleClaim.Measured> {

    static final double[] QUERY = {1, 1, 2};
    static final double[] KEYS = {1, 2, 0, 0, 3, 4, 5, 0, 0, 0, 0, 1};
    static final double[] VALUES = {2, 0, 1, 1, 4, 3, 0, -1, 4, 1, 0, -1};
    static final double[] PREDICTED_SCORES = {3, 11, 5, 2};
    static final double[] PREDICTED_OUTPUT = {1, 4, 3};
    /** float64 rounding of exp and log on logits up to 11. */
    public static final double SCORE_ROUNDING = 1e-9;

    /**
     * @param scores q.k_j for the four keys, as the unscaled softmax kernel's logits
     * @param argmaxOutput the argmax kernel's output
     * @param softmaxOutput softmax(q K^T / sqrt 3) V on the same inputs (not judged)
     */
    public record Measured(double[] scores, double[] argmaxOutput, double[] softmaxOutput) {}

    private final AttentionKernel argmax;
    private final AttentionKernel unscaledSoftmax;

    /** Measures the registered argmax kernel and the softmax kernel with its scaling off. */
    public ArgmaxExampleClaim() {
        this(AttentionKernels.create("argmax"), AttentionKernels.create("softmax", new KernelOptions(1.0, false)));
    }

    /**
     * @param argmax the kernel whose output should be v2
     * @param unscaledSoftmax the kernel whose logits should be q.k_j
     */
    public ArgmaxExampleClaim(AttentionKernel argmax, AttentionKernel unscaledSoftmax) {
        this.argmax = argmax;
        this.unscaledSoftmax = unscaledSoftmax;
    }

    @Override
    public String id() {
        return "argmax-example";
    }

    @Override
    public String homeworkPart() {
        return "2(a)";
    }

    @Override
    public String prediction() {
        return "q = [1,1,2], keys (1,2,0), (0,3,4), (5,0,0), (0,0,1): scores 3, 11, 5, 2; argmax attention outputs v2 = [1,4,3]";
    }

    @Override
    public String tolerance() {
        return "output exact (small integers are exact in float64); scores within 1e-9 (exp and log rounding)";
    }

    @Override
    public Measured measure(ClaimContext context) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray q = m.create(QUERY).reshape(1, 1, 1, 3); // [B,H,N,D] float64
            NDArray k = m.create(KEYS).reshape(1, 1, 4, 3); // [B,H,M,D]
            NDArray v = m.create(VALUES).reshape(1, 1, 4, 3); // [B,H,M,Dv]
            double[] scores = SoftmaxLogits.of(unscaledSoftmax, q, k).toDoubleArray(); // [1,1,1,4]
            double[] out = argmax.attend(q, k, v, AttentionMask.NONE).toDoubleArray(); // [1,1,1,3]
            double[] softmax = AttentionKernels.create("softmax").attend(q, k, v, AttentionMask.NONE).toDoubleArray();
            context.log("scores " + Format.numbers(scores) + ", argmax output " + Format.numbers(out)
                    + ", softmax output " + Format.numbers(softmax));
            return new Measured(scores, out, softmax);
        }
    }

    @Override
    public List<Check> judge(Measured measured) {
        List<Check> checks = new ArrayList<>();
        double[] scores = measured.scores();
        checks.add(Check.that("one score per key", String.valueOf(PREDICTED_SCORES.length), String.valueOf(scores.length),
                scores.length == PREDICTED_SCORES.length));
        for (int j = 0; j < Math.min(scores.length, PREDICTED_SCORES.length); j++) {
            checks.add(Check.close("score q.k_" + (j + 1) + " (the unscaled softmax kernel's logit)", PREDICTED_SCORES[j], scores[j],
                    SCORE_ROUNDING, "exp and log rounding"));
        }
        checks.add(Check.that("argmax attention output", Format.numbers(PREDICTED_OUTPUT), Format.numbers(measured.argmaxOutput()),
                Arrays.equals(PREDICTED_OUTPUT, measured.argmaxOutput())));
        return checks;
    }
}
