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
import attentionlab.models.kernel.FiniteDifferences;
import java.util.Arrays;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * W_q's and W_k's gradients through the whole multi-head block (projections, head split, kernel with
 * a causal mask, W_o) against central finite differences in float64.
 */
class BlockGradientTest {

    @ParameterizedTest
    @ValueSource(strings = {"softmax", "sparsemax", "entmax15", "entmax"})
    void queryAndKeyProjectionGradientsMatchFiniteDifferences(String kernel) {
        try (NDManager m = NDManager.newBaseManager()) {
            MultiHeadAttention mha = MultiHeadAttention.builder().setModelDim(8).setHeads(2)
                    .optKernel(AttentionKernels.create(kernel)).optCausal(true).build();
            Engine.getInstance().setRandomSeed(0);
            mha.initialize(m, DataType.FLOAT64, new Shape(2, 5, 8));
            NDArray x = normal(m, 1, 2, 5, 8).toType(DataType.FLOAT64, false);
            NDArray readout = normal(m, 2, 2, 5, 8).toType(DataType.FLOAT64, false);
            ParameterStore ps = new ParameterStore(m, false);
            // The check covers exact zeros beyond the 2 x 2 x 10 causally masked weights (sparse kernels only).
            long zeros = mha.attentionWeights(ps, new NDList(x)).eq(0).sum().getLong();
            assertThat(zeros).isGreaterThanOrEqualTo(40);
            if (!kernel.equals("softmax")) {
                assertThat(zeros).isGreaterThan(40);
            }
            DoubleSupplier loss = () -> mha.forward(ps, new NDList(x), false).head().mul(readout).sum().getDouble();
            double[] numericQ = FiniteDifferences.central(weight(mha, "W_q"), loss, 1e-6);
            double[] numericK = FiniteDifferences.central(weight(mha, "W_k"), loss, 1e-6);

            for (Parameter p : mha.getParameters().values()) {
                p.getArray().setRequiresGradient(true);
            }
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(mha.forward(ps, new NDList(x), true).head().mul(readout).sum());
            }
            double[] autogradQ = weight(mha, "W_q").getGradient().toDoubleArray();
            double[] autogradK = weight(mha, "W_k").getGradient().toDoubleArray();
            double error = Math.max(FiniteDifferences.maxAbsDifference(autogradQ, numericQ),
                    FiniteDifferences.maxAbsDifference(autogradK, numericK));
            assertThat(error).isLessThan(1e-7);
            assertThat(Arrays.stream(autogradQ).map(Math::abs).max().getAsDouble()).isGreaterThan(1e-2);
        }
    }

    static NDArray weight(MultiHeadAttention mha, String projection) {
        return mha.getParameters().stream()
                .filter(pair -> pair.getKey().matches("\\d\\d" + projection + "_weight"))
                .findFirst().orElseThrow().getValue().getArray();
    }
}
