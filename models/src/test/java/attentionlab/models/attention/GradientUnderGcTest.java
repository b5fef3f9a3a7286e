package attentionlab.models.attention;

import static attentionlab.models.reference.Samples.normal;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import attentionlab.models.kernel.AttentionKernels;
import attentionlab.models.ops.HostileGc;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The NaN-gradient regression: a garbage collection between forward and backward must not change
 * any gradient of the block, for every kernel. Before the fix, softmax's W_q gradient (through
 * q / sqrt(d_k)) came back non-finite here; so did the linear kernels' (their constants and maxima).
 */
class GradientUnderGcTest {

    static java.util.stream.Stream<String> kernels() {
        return AttentionKernels.names().stream();
    }

    /** Every parameter's gradient after one backward, with or without a hostile GC before it. */
    static Map<String, float[]> gradients(String kernel, boolean causal, boolean hostileGc) {
        Map<String, float[]> out = new LinkedHashMap<>();
        try (NDManager m = NDManager.newBaseManager()) {
            MultiHeadAttention mha = MultiHeadAttention.builder().setModelDim(16).setHeads(4)
                    .optKernel(AttentionKernels.create(kernel)).optCausal(causal).build();
            Engine.getInstance().setRandomSeed(0);
            mha.initialize(m, DataType.FLOAT32, new Shape(2, 6, 16));
            for (Parameter p : mha.getParameters().values()) {
                p.getArray().setRequiresGradient(true);
            }
            NDArray x = normal(m, 1, 2, 6, 16);
            NDArray readout = normal(m, 2, 2, 6, 16);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray y = mha.forward(new ParameterStore(m, false), new NDList(x), true).head();
                if (hostileGc) {
                    HostileGc.collectAndReuse();
                }
                collector.backward(y.mul(readout).sum());
            }
            mha.getParameters().forEach(pair -> out.put(pair.getKey(), pair.getValue().getArray().getGradient().toFloatArray()));
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void gradientsDoNotDependOnWhenTheGarbageCollectorRuns(String kernel) {
        for (boolean causal : new boolean[] {false, true}) {
            Map<String, float[]> calm = gradients(kernel, causal, false);
            Map<String, float[]> hostile = gradients(kernel, causal, true);
            assertThat(hostile.keySet()).isEqualTo(calm.keySet());
            calm.forEach((name, g) -> assertThat(hostile.get(name)).as(kernel + " " + name).containsExactly(g));
        }
    }
}
