package attentionlab.models.kernel;

import static attentionlab.models.reference.Samples.normal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

/** The small parts kernels are built from: masks, options, the identity and elu maps, names, the causal form's shape check. */
class KernelPartsTest {

    @Test
    void aMaskKeepsWhatItIsGivenAndIsEmptyOnlyWithoutBoth() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray valid = m.create(new boolean[] {true, false}).reshape(1, 2);
            assertThat(AttentionMask.of(false, valid).keyValid()).isSameAs(valid);
            assertThat(AttentionMask.of(true, null)).isEqualTo(AttentionMask.CAUSAL);
            assertThat(AttentionMask.of(false, null)).isSameAs(AttentionMask.NONE);
            assertThat(AttentionMask.NONE.isEmpty()).isTrue();
            assertThat(AttentionMask.CAUSAL.isEmpty()).isFalse();
            assertThat(AttentionMask.of(false, valid).isEmpty()).isFalse();
            assertThat(AttentionMask.of(true, valid).isEmpty()).isFalse();
        }
    }

    @Test
    void optionsRefuseATemperatureThatIsNotAFinitePositiveNumber() {
        for (double t : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> new KernelOptions(t, true)).as("T = %s", t).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("temperature must be a finite number > 0");
        }
        assertThat(new KernelOptions(Double.MIN_VALUE, true).temperature()).isEqualTo(Double.MIN_VALUE);
        KernelOptions cold = new KernelOptions(0.25, false);
        assertThat(((SoftmaxKernel) AttentionKernels.create("softmax", cold)).options()).isEqualTo(cold);
    }

    @Test
    void featureMapsNameThemselvesAndTheIdentityIsX() {
        assertThat(new QuadraticFeatureMap().name()).isEqualTo("quadratic");
        assertThat(new OuterProductFeatureMap().name()).isEqualTo("quadratic-full");
        assertThat(new EluFeatureMap().name()).isEqualTo("elu");
        IdentityFeatureMap identity = new IdentityFeatureMap();
        assertThat(identity.name()).isEqualTo("identity");
        assertThat(identity.featureDim(7)).isEqualTo(7);
        assertThat(identity.nonNegative()).isFalse();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = normal(m, 1, 2, 3);
            assertThat(identity.apply(x).toFloatArray()).containsExactly(x.toFloatArray());
        }
    }

    @Test
    void theCausalLinearFormNeedsAsManyQueriesAsKeys() {
        try (NDManager m = NDManager.newBaseManager()) {
            AttentionKernel kernel = AttentionKernels.create("quadratic");
            NDArray q = normal(m, 1, 1, 1, 3, 4);
            NDArray k = normal(m, 2, 1, 1, 5, 4);
            assertThatThrownBy(() -> kernel.attend(q, k, k, AttentionMask.CAUSAL)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("3 queries and 5 keys");
        }
    }
}
