package attentionlab.experiments.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.nn.Block;
import attentionlab.experiments.core.UserError;
import attentionlab.experiments.model.ModelFactory;
import attentionlab.experiments.tasks.Tasks;
import attentionlab.models.attention.MultiHeadAttention;
import attentionlab.models.kernel.EntmaxKernel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code model.alpha}, the kernel option read by {@code entmax} only: defaulted, validated in (1, 2],
 * refused with a kernel that does not read it, and passed through to the kernel the model is built with.
 */
class AlphaConfigTest {

    @TempDir
    Path dir;

    Path write(String yaml) throws IOException {
        return Files.writeString(Files.createTempFile(dir, "config", ".yaml"), yaml);
    }

    /** The one run of ConfigLoaderTest's good config with {@code kernel: softmax} replaced by {@code model}. */
    ExperimentConfig load(String model, String... sets) throws IOException {
        Path file = write(ConfigLoaderTest.GOOD.replace("kernel: softmax", model));
        return ConfigLoader.plan(file, List.of(sets), null).runs().get(0).config();
    }

    /** Planted bug caught: ModelFactory building entmax with the default alpha instead of model.alpha. */
    @Test
    void alphaReachesTheEntmaxKernelOfTheModel() throws IOException {
        ExperimentConfig config = load("kernel: entmax, alpha: 1.25");
        assertThat(config.model().alpha()).isEqualTo(1.25);
        assertThat(kernelAlpha(config)).isEqualTo(1.25);
        assertThat(kernelAlpha(load("kernel: entmax", "model.alpha=2"))).isEqualTo(2.0);
    }

    @Test
    void alphaDefaultsToOnePointFiveAndIsWrittenOnlyForEntmax() throws IOException {
        ExperimentConfig entmax = load("kernel: entmax");
        assertThat(entmax.model().alpha()).isEqualTo(1.5);
        assertThat(ConfigLoader.toYaml(entmax)).contains("alpha: 1.5");
        ExperimentConfig tuned = load("kernel: entmax, alpha: 1.75");
        assertThat(ConfigLoader.loadRun(write(ConfigLoader.toYaml(tuned)))).isEqualTo(tuned);
        assertThat(ConfigLoader.toYaml(load("kernel: sparsemax"))).doesNotContain("alpha");
    }

    /** Planted bug caught: "alpha" missing from entmax's declared options, or from the option check. */
    @ParameterizedTest
    @ValueSource(strings = {"softmax", "sparsemax", "entmax15", "argmax"})
    void alphaWithAKernelThatDoesNotReadItNamesTheKernelsThatDo(String kernel) {
        assertThatThrownBy(() -> load("kernel: " + kernel + ", alpha: 1.5"))
                .isInstanceOf(UserError.class)
                .hasMessageStartingWith("model.alpha: 1.5 is invalid")
                .hasMessageContaining("kernel '" + kernel + "' does not read it")
                .hasMessageContaining("kernels that read model.alpha: entmax");
    }

    /** Planted bug caught: a range check of [1, 2] or (1, 2) instead of (1, 2]. */
    @ParameterizedTest
    @ValueSource(strings = {"1", "1.0", "0.5", "2.01", "-3", "1e9"})
    void alphaOutsideOneToTwoIsRefusedNamingTheKey(String alpha) {
        assertThatThrownBy(() -> load("kernel: entmax, alpha: " + alpha))
                .isInstanceOf(UserError.class)
                .hasMessageStartingWith("model.alpha: ")
                .hasMessageContaining("allowed: numbers in (1, 2]")
                .hasMessageNotContaining("\n");
    }

    @Test
    void aBadAlphaFromAnOverrideNamesTheOverride() {
        assertThatThrownBy(() -> load("kernel: entmax", "model.alpha=3"))
                .isInstanceOf(UserError.class).hasMessageContaining("model.alpha: 3.0 is invalid").hasMessageContaining("--set model.alpha=3");
        assertThatThrownBy(() -> load("kernel: entmax", "model.alpha=abc"))
                .isInstanceOf(UserError.class).hasMessageContaining("model.alpha");
    }

    private static double kernelAlpha(ExperimentConfig config) {
        Block model = ModelFactory.create(config.model(), Tasks.create(config.task()));
        MultiHeadAttention attention = find(model);
        return ((EntmaxKernel) attention.kernel()).alpha();
    }

    private static MultiHeadAttention find(Block block) {
        if (block instanceof MultiHeadAttention mha) {
            return mha;
        }
        for (var child : block.getChildren().values()) {
            MultiHeadAttention found = find(child);
            if (found != null) {
                return found;
            }
        }
        return null;
    }
}
