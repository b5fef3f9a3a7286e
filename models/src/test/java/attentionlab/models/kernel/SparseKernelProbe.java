package attentionlab.models.kernel;

import static attentionlab.models.reference.Samples.normal;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Opt-in probe, not a test (it asserts nothing): how sparse the kernels are on random scores and what
 * they cost relative to softmax, for planning the sparse-spectrum study. Run with
 * {@code ATTENTIONLAB_PROBE=1 mvn -o -pl models test -Dtest=SparseKernelProbe -Ddjl.test.threads=1};
 * timings from a busy machine are rough.
 *
 * <p>Inputs: Q, K ~ N(0, 1) [B=32,H=4,N=32,D=16], so Q K^T / sqrt(D) has standard deviation 1
 * (queries are also scaled by 0.5 and 2 to show how sparsity moves with the score scale).
 */
@EnabledIfEnvironmentVariable(named = "ATTENTIONLAB_PROBE", matches = "1")
class SparseKernelProbe {

    private static final List<String> KERNELS =
            List.of("softmax", "sparsemax", "entmax15", "entmax:1.25", "entmax:1.5", "entmax:1.75");

    static AttentionKernel kernel(String spec) {
        String[] parts = spec.split(":");
        KernelOptions options = parts.length > 1
                ? KernelOptions.DEFAULT.withAlpha(Double.parseDouble(parts[1])) : KernelOptions.DEFAULT;
        return AttentionKernels.create(parts[0], options);
    }

    @Test
    void exactZerosOnRandomScores() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray k = normal(m, 2, 32, 4, 32, 16);
            System.out.println("fraction of exact zeros, d_k = 16, N = 32, no mask (causal: of the visible keys)");
            for (String spec : KERNELS) {
                StringBuilder line = new StringBuilder(String.format("%-12s", spec));
                for (double scale : new double[] {0.5, 1, 2}) {
                    NDArray q = normal(m, 1, 32, 4, 32, 16).mul(scale);
                    double all = 32.0 * 4 * 32 * 32;
                    double zeros = kernel(spec).weights(q, k, AttentionMask.NONE).eq(0).sum().getLong() / all;
                    double visible = 32.0 * 4 * 32 * 33 / 2;
                    long causalZeros = kernel(spec).weights(q, k, AttentionMask.CAUSAL).eq(0).sum().getLong();
                    double causal = (causalZeros - (all - visible)) / visible;
                    line.append(String.format("  score sd %.1f: %.3f (causal %.3f)", scale, zeros, causal));
                }
                System.out.println(line);
            }
        }
    }

    /**
     * CPU time of the calling thread (with one engine thread, as {@code -Ddjl.test.threads=1} sets,
     * the ops run there), which other processes disturb far less than wall-clock time, and the arrays
     * a forward pass leaves on the batch's manager.
     */
    @Test
    void costRelativeToSoftmax() {
        System.out.println("median CPU ms per call, float32 [32,4,32,16] causal, one engine thread");
        double softmaxForward = 0;
        double softmaxBoth = 0;
        for (String spec : KERNELS) {
            double forward = medianCpuMillis(spec, false);
            double both = medianCpuMillis(spec, true);
            if (spec.equals("softmax")) {
                softmaxForward = forward;
                softmaxBoth = both;
            }
            System.out.printf("%-12s forward %.2f ms (x%.1f)   forward+backward %.2f ms (x%.1f)   arrays kept %d%n",
                    spec, forward, forward / softmaxForward, both, both / softmaxBoth, arraysKept(spec));
        }
    }

    static double medianCpuMillis(String spec, boolean backward) {
        AttentionKernel kernel = kernel(spec);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double[] times = new double[100];
        for (int rep = -20; rep < times.length; rep++) {
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray q = normal(m, 1, 32, 4, 32, 16);
                NDArray k = normal(m, 2, 32, 4, 32, 16);
                NDArray v = normal(m, 3, 32, 4, 32, 16);
                for (NDArray x : new NDArray[] {q, k, v}) {
                    x.setRequiresGradient(backward);
                }
                long start = threads.getCurrentThreadCpuTime();
                if (backward) {
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        collector.backward(kernel.attend(q, k, v, AttentionMask.CAUSAL).sum());
                    }
                } else {
                    kernel.attend(q, k, v, AttentionMask.CAUSAL).sum().getFloat();
                }
                if (rep >= 0) {
                    times[rep] = (threads.getCurrentThreadCpuTime() - start) / 1e6;
                }
            }
        }
        Arrays.sort(times);
        return times[times.length / 2];
    }

    /** Arrays a forward pass leaves on the manager (beyond q, k, v), alive until the batch is closed. */
    static int arraysKept(String spec) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray q = normal(m, 1, 32, 4, 32, 16);
            NDArray k = normal(m, 2, 32, 4, 32, 16);
            NDArray v = normal(m, 3, 32, 4, 32, 16);
            int before = m.getManagedArrays().size();
            kernel(spec).attend(q, k, v, AttentionMask.CAUSAL);
            return m.getManagedArrays().size() - before;
        }
    }
}
