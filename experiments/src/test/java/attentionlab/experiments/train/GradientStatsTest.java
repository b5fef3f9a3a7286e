package attentionlab.experiments.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.junit.jupiter.api.Test;

class GradientStatsTest {

    @Test
    void zeroClearsNaNAndInfinityToExactZero() {
        try (NDManager m = NDManager.newBaseManager()) {
            Parameter p = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).build();
            p.setArray(m.create(new float[] {1, 2, 3}));
            p.getArray().setRequiresGradient(true);
            NDArray factors = m.create(new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY});
            try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                c.backward(p.getArray().mul(factors).sum()); // gradient = factors
            }
            assertThat(p.getArray().getGradient().toFloatArray())
                    .containsExactly(Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY);
            try (NDManager scratch = m.newSubManager()) {
                GradientStats.zero(List.of(p), scratch);
            }
            assertThat(p.getArray().getGradient().toFloatArray()).containsExactly(0f, 0f, 0f);
            try (NDManager scratch = m.newSubManager()) {
                GradientStats stats = GradientStats.read(List.of("w"), List.of(p), scratch);
                assertThat(stats.firstNonFinite()).isNull();
                assertThat(stats.norms()).containsExactly(0f);
            }
        }
    }
}
