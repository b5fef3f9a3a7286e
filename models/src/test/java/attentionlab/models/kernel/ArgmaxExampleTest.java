package attentionlab.models.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

/** Homework 2(a): the worked argmax example. */
class ArgmaxExampleTest {

    @Test
    void returnsTheValueOfTheBestKey() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray q = m.create(new float[] {1, 1, 2}).reshape(1, 1, 1, 3);
            NDArray k = m.create(new float[] {1, 2, 0, 0, 3, 4, 5, 0, 0, 0, 0, 1}).reshape(1, 1, 4, 3);
            NDArray v = m.create(new float[] {2, 0, 1, 1, 4, 3, 0, -1, 4, 1, 0, -1}).reshape(1, 1, 4, 3);
            NDArray out = AttentionKernels.create("argmax").attend(q, k, v, AttentionMask.NONE);
            assertThat(out.getShape().getShape()).containsExactly(1, 1, 1, 3);
            assertThat(out.toFloatArray()).containsExactly(1f, 4f, 3f);
        }
    }
}
