package attentionlab.experiments.claims.homework;

import static attentionlab.experiments.claims.homework.ClaimFixtures.failing;
import static attentionlab.experiments.claims.homework.ClaimFixtures.measureAndJudge;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import attentionlab.models.kernel.AttentionKernel;
import attentionlab.models.kernel.AttentionKernels;
import attentionlab.models.kernel.AttentionMask;
import attentionlab.models.kernel.FeatureMap;
import attentionlab.models.kernel.LinearAttentionKernel;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kernel-positivity measures the project's kernels: it holds on the registered ones and fails on planted wrong ones. */
class KernelPositivityClaimTest {

    @TempDir
    Path tmp;

    private static final AttentionKernel SOFTMAX = AttentionKernels.create("softmax");
    private static final LinearAttentionKernel QUADRATIC = (LinearAttentionKernel) AttentionKernels.create("quadratic");

    @Test
    void holdsOnTheRegisteredKernels() throws Exception {
        assertThat(failing(measureAndJudge(new KernelPositivityClaim(), tmp))).isEmpty();
    }

    /** exp(s) / sum exp(s) without subtracting the row maximum: exp overflows at the largest input scale. */
    @Test
    void aSoftmaxThatOverflowsFails() throws Exception {
        AttentionKernel naive = planted("naive-softmax", s -> s.exp());
        List<String> failing = failing(measureAndJudge(new KernelPositivityClaim(naive, QUADRATIC, QUADRATIC.featureMap()), tmp));
        assertThat(failing).isNotEmpty().allMatch(c -> c.contains("naive-softmax, inputs x16"));
    }

    /** sim = q.k / sqrt(D) + 1, an odd power: negative similarities, negative weights. */
    @Test
    void aSimilarityThatCanBeNegativeFails() throws Exception {
        AttentionKernel odd = planted("odd", s -> s.add(1.0));
        assertThat(failing(measureAndJudge(new KernelPositivityClaim(odd, QUADRATIC, QUADRATIC.featureMap()), tmp)))
                .anyMatch(c -> c.startsWith("min weight"));
    }

    /** A feature map phi(x) = [1, x] (sim = 1 + q.k) that claims to be non-negative: the kernel accepts it, the claim does not. */
    @Test
    void aFeatureMapWithNegativeSimilarityFails() throws Exception {
        FeatureMap affine = new FeatureMap() {
            public String name() {
                return "affine";
            }

            public long featureDim(long d) {
                return d + 1;
            }

            public NDArray apply(NDArray x) {
                return NDArrays.concat(new NDList(x.get("..., 0:1").onesLike(), x), -1);
            }

            public boolean nonNegative() {
                return true; // it is not
            }
        };
        LinearAttentionKernel lying = new LinearAttentionKernel("quadratic", affine);
        assertThat(failing(measureAndJudge(new KernelPositivityClaim(SOFTMAX, lying, affine), tmp)))
                .anyMatch(c -> c.startsWith("min sim")).anyMatch(c -> c.startsWith("min row denominator"));
    }

    /** The quadratic kernel in its N x N form without the guard max(denominator, 1e-6): 0/0 on both degenerate rows. */
    @Test
    void aQuadraticKernelWithoutTheGuardFails() throws Exception {
        AttentionKernel unguarded = new AttentionKernel() {
            public String name() {
                return "unguarded";
            }

            public NDArray attend(NDArray q, NDArray k, NDArray v, AttentionMask mask) {
                return weights(q, k, mask).matMul(v);
            }

            public NDArray weights(NDArray q, NDArray k, AttentionMask mask) {
                NDArray sim = q.matMul(k.transpose(0, 1, 3, 2)).add(1.0).square(); // (q.k + 1)^2: [B,H,N,M]
                return sim.div(sim.sum(new int[] {-1}, true));
            }
        };
        assertThat(failing(measureAndJudge(new KernelPositivityClaim(SOFTMAX, unguarded, QUADRATIC.featureMap()), tmp)))
                .containsExactly("quadratic kernel, every key at q.k = -1: output finite",
                        "quadratic kernel, every key padded: output finite (guarded 0/0)");
    }

    /** A kernel whose weights are f(q.k / sqrt D) normalised over each row, without any safeguard. */
    private static AttentionKernel planted(String name, java.util.function.UnaryOperator<NDArray> similarity) {
        BiFunction<NDArray, NDArray, NDArray> weights = (q, k) -> {
            NDArray sim = similarity.apply(q.matMul(k.transpose(0, 1, 3, 2)).div(Math.sqrt(q.getShape().getLastDimension())));
            return sim.div(sim.sum(new int[] {-1}, true)); // [B,H,N,M]
        };
        return new AttentionKernel() {
            public String name() {
                return name;
            }

            public NDArray attend(NDArray q, NDArray k, NDArray v, AttentionMask mask) {
                return weights.apply(q, k).matMul(v);
            }

            public NDArray weights(NDArray q, NDArray k, AttentionMask mask) {
                return weights.apply(q, k);
            }
        };
    }
}
