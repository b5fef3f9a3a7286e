package attentionlab.experiments.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import attentionlab.models.kernel.AttentionKernels;
import attentionlab.models.kernel.AttentionMask;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Operation counts from the profiler match the hand count of the same ops. */
class OpProfileTest {

    @Test
    void softmaxAttentionCountsItsScalingProductsAndSoftmaxFromTheExecutedShapes() {
        int n = 64;
        int d = 8;
        int m = 4;
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray q = manager.randomNormal(new Shape(1, 1, n, d));
            NDArray k = manager.randomNormal(new Shape(1, 1, n, d));
            NDArray v = manager.randomNormal(new Shape(1, 1, n, m));
            OpProfile p = OpProfile.of(() -> {
                try (NDManager step = manager.newSubManager()) {
                    AttentionKernels.create("softmax").attend(q, k, v, AttentionMask.NONE).attach(step);
                }
            });
            // Q / sqrt(D): N D; Q K^T: 2 N N D; softmax: 4 N N; weights V: 2 N N M
            assertThat(p.flops()).isEqualTo((double) n * d + 2.0 * n * n * d + 4.0 * n * n + 2.0 * n * n * m);
            assertThat(p.unaccounted()).isEmpty();
            assertThat(p.ops()).containsKeys("aten::bmm", "aten::_softmax", "aten::div").doesNotContainKey("aten::matmul");
            assertThat(p.ops().get("aten::bmm").calls()).isEqualTo(2);
            // held: Q / sqrt(D), scores, weights, output (+ a few scalar bytes)
            assertThat(p.allocatedBytes()).isCloseTo(4.0 * (n * d + 2 * n * n + n * m), within(64.0));
        }
    }

    @Test
    void anOpWithoutAFormulaOrAComputeCompositeWithoutNestedOpsIsUnaccounted() {
        List<OpProfile.Event> events = List.of(
                new OpProfile.Event("aten::matmul", 0, 10, 1, List.of(new long[] {4, 4}, new long[] {4, 4}), 64),
                new OpProfile.Event("aten::mm", 1, 9, 1, List.of(new long[] {4, 4}, new long[] {4, 4}), 64),
                new OpProfile.Event("aten::fancy_new_kernel", 11, 12, 1, List.of(new long[] {4}), 16),
                new OpProfile.Event("aten::einsum", 13, 14, 1, List.of(new long[] {4}), 16));
        OpProfile p = OpProfile.count(events);
        assertThat(p.flops()).isEqualTo(2.0 * 4 * 4 * 4); // mm counted once, inside matmul
        assertThat(p.unaccounted()).containsExactly("aten::fancy_new_kernel[[4]]", "aten::einsum[[4]]");
        assertThat(p.allocatedBytes()).isEqualTo(64 + 16 + 16); // outermost ops only
    }

    @Test
    void theProfilersMemoryTextIsReadInPowersOf1024() {
        assertThat(OpProfile.bytes("0 b")).isZero();
        assertThat(OpProfile.bytes("1.25 Kb")).isEqualTo(1280);
        assertThat(OpProfile.bytes("2.00 Mb")).isEqualTo(2L << 20);
        assertThat(OpProfile.bytes("-1.50 Gb")).isEqualTo(-(3L << 29));
    }
}
