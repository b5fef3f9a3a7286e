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
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Homework 2(b): which projections backward reaches, per kernel. */
class GradientFlowTest {

    /** Sum of |grad| per projection weight after one backward of a random linear read-out. */
    static Map<String, Float> gradientMagnitudes(String kernel) {
        Map<String, Float> out = new HashMap<>();
        try (NDManager m = NDManager.newBaseManager()) {
            MultiHeadAttention mha = MultiHeadAttention.builder().setModelDim(16).setHeads(4)
                    .optKernel(AttentionKernels.create(kernel)).optCausal(true).build();
            Engine.getInstance().setRandomSeed(0);
            mha.initialize(m, DataType.FLOAT32, new Shape(2, 6, 16));
            for (Parameter p : mha.getParameters().values()) {
                p.getArray().setRequiresGradient(true);
            }
            NDArray x = normal(m, 1, 2, 6, 16);
            NDArray readout = normal(m, 2, 2, 6, 16);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray y = mha.forward(new ParameterStore(m, false), new NDList(x), true).head();
                collector.backward(y.mul(readout).sum());
            }
            mha.getParameters().forEach(pair -> {
                if (pair.getKey().endsWith("_weight")) {
                    String name = pair.getKey().replaceAll("^\\d\\d|_weight$", "");
                    out.put(name, pair.getValue().getArray().getGradient().abs().sum().getFloat());
                }
            });
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"argmax"})
    void argmaxGivesQueriesAndKeysExactlyZeroGradient(String kernel) {
        Map<String, Float> g = gradientMagnitudes(kernel);
        assertThat(g.get("W_q")).isEqualTo(0f);
        assertThat(g.get("W_k")).isEqualTo(0f);
        assertThat(g.get("W_v")).isPositive();
        assertThat(g.get("W_o")).isPositive();
    }

    @ParameterizedTest
    @ValueSource(strings = {"softmax", "quadratic", "argmax-st", "linear-elu"})
    void smoothKernelsPassGradientToEveryProjection(String kernel) {
        Map<String, Float> g = gradientMagnitudes(kernel);
        assertThat(g).containsOnlyKeys("W_q", "W_k", "W_v", "W_o");
        assertThat(g.values()).allSatisfy(v -> assertThat(v).isPositive());
    }

    /**
     * Sparse kernels put exact zeros on some keys, yet W_q and W_k learn through the keys of each
     * support that has more than one key (a one-key support passes nothing, like argmax: see
     * SparseKernelsTest). At this initialisation supports are wide, so every projection gets gradient.
     */
    @ParameterizedTest
    @ValueSource(strings = {"sparsemax", "entmax15", "entmax"})
    void sparseKernelsPassGradientToEveryProjectionThroughTheirSupport(String kernel) {
        Map<String, Float> g = gradientMagnitudes(kernel);
        assertThat(g).containsOnlyKeys("W_q", "W_k", "W_v", "W_o");
        assertThat(g.values()).allSatisfy(v -> assertThat(v).isPositive());
    }

    /** A new kernel must be placed in one of the categories above. */
    @Test
    void everyRegisteredKernelHasACategory() {
        Set<String> categorised = new HashSet<>();
        for (String method : new String[] {"argmaxGivesQueriesAndKeysExactlyZeroGradient",
                "smoothKernelsPassGradientToEveryProjection",
                "sparseKernelsPassGradientToEveryProjectionThroughTheirSupport"}) {
            try {
                ValueSource kernels =
                        GradientFlowTest.class.getDeclaredMethod(method, String.class).getAnnotation(ValueSource.class);
                for (String kernel : kernels.strings()) {
                    assertThat(categorised.add(kernel)).as(kernel + " is in two categories").isTrue();
                }
            } catch (NoSuchMethodException e) {
                throw new AssertionError(e);
            }
        }
        assertThat(categorised).containsExactlyInAnyOrderElementsOf(AttentionKernels.names());
    }
}
