package attentionlab.models.kernel;

import static attentionlab.models.reference.Samples.normal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import attentionlab.models.reference.RelativeError;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Properties every registered kernel must have: masks, causality, weights that match outputs. */
class AttentionKernelsTest {

    static Stream<String> kernels() {
        return AttentionKernels.names().stream();
    }

    @Test
    void registryNamesTheHomeworkKernels() {
        assertThat(AttentionKernels.names()).contains("softmax", "argmax", "quadratic", "argmax-st");
    }

    @Test
    void unknownNameListsValidOnes() {
        assertThatThrownBy(() -> AttentionKernels.create("sofmax"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'sofmax'")
                .hasMessageContaining("softmax, argmax, quadratic");
    }

    @Test
    void registeringANameTwiceFails() {
        assertThatThrownBy(() -> AttentionKernels.register("softmax", SoftmaxKernel::new))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already registered");
    }

    @Test
    void kernelsDeclareTheOptionsTheyRead() {
        assertThat(AttentionKernels.options("softmax")).containsExactlyInAnyOrder("temperature", "scaled");
        assertThat(AttentionKernels.options("quadratic")).isEmpty();
        assertThat(AttentionKernels.readers("temperature")).containsExactly("softmax", "argmax-st");
        assertThat(AttentionKernels.optionKeys()).contains("temperature");
        assertThatThrownBy(() -> AttentionKernels.options("sofmax")).hasMessageContaining("valid kernels");
    }

    /** An option kernels do not have, or a kernel that names itself differently, is refused and not registered. */
    @Test
    void registrationChecksOptionsAndName() {
        assertThatThrownBy(() -> AttentionKernels.register("hot", java.util.Set.of("heat"), SoftmaxKernel::new))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'heat'").hasMessageContaining("temperature");
        assertThatThrownBy(() -> AttentionKernels.register("mislabelled", SoftmaxKernel::new))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("calls itself 'softmax'");
        assertThat(AttentionKernels.names()).doesNotContain("hot", "mislabelled");
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void everyKernelAnswersItsRegisteredName(String name) {
        assertThat(AttentionKernels.create(name).name()).isEqualTo(name);
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void paddedKeysNeverReceiveWeight(String name) {
        AttentionKernel kernel = AttentionKernels.create(name);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray q = normal(m, 1, 2, 2, 5, 4);
            NDArray k = normal(m, 2, 2, 2, 5, 4);
            NDArray v = normal(m, 3, 2, 2, 5, 3);
            // Batch 0: the last two keys are padding. Batch 1: key 1 is padding.
            NDArray valid = m.create(new boolean[] {true, true, true, false, false, true, false, true, true, true},
                    new Shape(2, 5));
            AttentionMask mask = AttentionMask.of(false, valid);
            NDArray w = kernel.weights(q, k, mask); // [B,H,N,M]
            assertThat(w.get("0, :, :, 3:5").abs().max().getFloat()).isZero();
            assertThat(w.get("1, :, :, 1").abs().max().getFloat()).isZero();
            // Changing padded values changes nothing.
            NDArray v2 = v.duplicate();
            v2.set(new NDIndex("0, :, 3:5, :"), 100f);
            v2.set(new NDIndex("1, :, 1, :"), -100f);
            assertThat(RelativeError.of(kernel.attend(q, k, v2, mask), kernel.attend(q, k, v, mask))).isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void changingAFutureTokenLeavesEarlierOutputsUnchanged(String name) {
        AttentionKernel kernel = AttentionKernels.create(name);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray q = normal(m, 4, 1, 2, 6, 4);
            NDArray k = normal(m, 5, 1, 2, 6, 4);
            NDArray v = normal(m, 6, 1, 2, 6, 3);
            NDArray before = kernel.attend(q, k, v, AttentionMask.CAUSAL);
            NDArray k2 = k.duplicate();
            NDArray v2 = v.duplicate();
            k2.set(new NDIndex(":, :, 4, :"), 9f);
            v2.set(new NDIndex(":, :, 4, :"), 9f);
            NDArray after = kernel.attend(q, k2, v2, AttentionMask.CAUSAL);
            assertThat(RelativeError.of(after.get(":, :, 0:4, :"), before.get(":, :, 0:4, :"))).isZero();
            assertThat(RelativeError.of(after.get(":, :, 4:, :"), before.get(":, :, 4:, :"))).isPositive();
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void outputsAreTheWeightsTimesValues(String name) {
        AttentionKernel kernel = AttentionKernels.create(name);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray q = normal(m, 7, 2, 3, 5, 4);
            NDArray k = normal(m, 8, 2, 3, 5, 4);
            NDArray v = normal(m, 9, 2, 3, 5, 2);
            for (AttentionMask mask : new AttentionMask[] {AttentionMask.NONE, AttentionMask.CAUSAL}) {
                NDArray w = kernel.weights(q, k, mask);
                assertThat(RelativeError.of(w.sum(new int[] {-1}), m.ones(new Shape(2, 3, 5)))).isLessThan(1e-5);
                assertThat(RelativeError.of(kernel.attend(q, k, v, mask), w.matMul(v))).isLessThan(1e-5);
            }
        }
    }

    @Test
    void argmaxTakesTheFirstIndexOnTies() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray q = m.create(new float[] {1, 0}).reshape(1, 1, 1, 2);
            NDArray k = m.create(new float[] {0, 1, 2, 0, 2, 0}).reshape(1, 1, 3, 2);
            NDArray w = AttentionKernels.create("argmax").weights(q, k, AttentionMask.NONE);
            assertThat(w.toFloatArray()).containsExactly(0f, 1f, 0f);
        }
    }

    @Test
    void straightThroughForwardIsArgmax() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray q = normal(m, 10, 2, 2, 7, 4);
            NDArray k = normal(m, 11, 2, 2, 7, 4);
            NDArray v = normal(m, 12, 2, 2, 7, 3);
            NDArray hard = AttentionKernels.create("argmax").attend(q, k, v, AttentionMask.CAUSAL);
            NDArray st = AttentionKernels.create("argmax-st").attend(q, k, v, AttentionMask.CAUSAL);
            assertThat(RelativeError.of(st, hard)).isZero();
        }
    }

    /**
     * Scores 0.5, 1.0, 0.2, -0.3, 0.9 (margin 0.1 between the top two, D = 4 so s = 2): the weight off
     * the top key is at most (M-1) exp(-0.1 / (2 T)), so softmax approaches the argmax one-hot as T -> 0.
     */
    @Test
    void softmaxTemperatureSharpensTowardsArgmax() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray q = m.create(new float[] {1, 0, 0, 0}).reshape(1, 1, 1, 4);
            NDArray k = m.create(new float[] {0.5f, 0, 0, 0, 1, 0, 0, 0, 0.2f, 0, 0, 0, -0.3f, 0, 0, 0, 0.9f, 0, 0, 0})
                    .reshape(1, 1, 5, 4);
            NDArray hard = AttentionKernels.create("argmax").weights(q, k, AttentionMask.NONE);
            assertThat(hard.toFloatArray()).containsExactly(0f, 1f, 0f, 0f, 0f);
            for (double t : new double[] {1, 0.1, 0.01, 0.001}) {
                NDArray w = AttentionKernels.create("softmax", new KernelOptions(t, true)).weights(q, k, AttentionMask.NONE);
                double gap = w.sub(hard).abs().max().getFloat();
                assertThat(gap).isLessThanOrEqualTo(4 * Math.exp(-0.1 / (2 * t)) + 1e-6);
            }
        }
    }
}
