package attentionlab.experiments.claims.homework;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import attentionlab.experiments.claims.Check;
import attentionlab.experiments.claims.Claim;
import attentionlab.experiments.claims.ClaimContext;
import attentionlab.experiments.io.Format;
import attentionlab.models.kernel.AttentionKernels;
import attentionlab.models.kernel.AttentionMask;
import java.util.Arrays;
import java.util.List;

/**
 * Homework 2(a): q = [1,1,2] against keys (1,2,0), (0,3,4), (5,0,0), (0,0,1) scores 3, 11, 5, 2, so
 * argmax attention returns the second value, [1,4,3]. Measured through the registered argmax kernel;
 * the softmax output on the same inputs is recorded for contrast.
 */
public final class ArgmaxExampleClaim implements Claim<ArgmaxExampleClaim.Measured> {

    static final float[] QUERY = {1, 1, 2};
    static final float[] KEYS = {1, 2, 0, 0, 3, 4, 5, 0, 0, 0, 0, 1};
    static final float[] VALUES = {2, 0, 1, 1, 4, 3, 0, -1, 4, 1, 0, -1};
    static final double[] PREDICTED_SCORES = {3, 11, 5, 2};
    static final double[] PREDICTED_OUTPUT = {1, 4, 3};

    /**
     * @param scores q.k_j for the four keys
     * @param argmaxOutput the argmax kernel's output
     * @param softmaxOutput softmax(q K^T / sqrt 3) V on the same inputs (not judged)
     */
    public record Measured(double[] scores, double[] argmaxOutput, double[] softmaxOutput) {}

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
        return "exact (small integers are exact in float32)";
    }

    @Override
    public Measured measure(ClaimContext context) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray q = m.create(QUERY).reshape(1, 1, 1, 3); // [B,H,N,D]
            NDArray k = m.create(KEYS).reshape(1, 1, 4, 3); // [B,H,M,D]
            NDArray v = m.create(VALUES).reshape(1, 1, 4, 3); // [B,H,M,Dv]
            double[] scores = toDouble(q.matMul(k.transpose(0, 1, 3, 2)).toFloatArray()); // [1,1,1,4]
            double[] argmax = toDouble(AttentionKernels.create("argmax").attend(q, k, v, AttentionMask.NONE).toFloatArray());
            double[] softmax = toDouble(AttentionKernels.create("softmax").attend(q, k, v, AttentionMask.NONE).toFloatArray());
            context.log("scores " + Format.numbers(scores) + ", argmax output " + Format.numbers(argmax)
                    + ", softmax output " + Format.numbers(softmax));
            return new Measured(scores, argmax, softmax);
        }
    }

    @Override
    public List<Check> judge(Measured measured) {
        return List.of(
                Check.that("scores q.k_j", Format.numbers(PREDICTED_SCORES), Format.numbers(measured.scores()),
                        Arrays.equals(PREDICTED_SCORES, measured.scores())),
                Check.that("argmax attention output", Format.numbers(PREDICTED_OUTPUT), Format.numbers(measured.argmaxOutput()),
                        Arrays.equals(PREDICTED_OUTPUT, measured.argmaxOutput())));
    }

    private static double[] toDouble(float[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i];
        }
        return out;
    }
}
