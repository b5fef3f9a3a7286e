package attentionlab.experiments.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import attentionlab.experiments.core.UserError;
import attentionlab.experiments.tasks.AssociativeRecallConfig;
import attentionlab.experiments.tasks.SequenceFileConfig;
import attentionlab.experiments.tasks.SequenceTaskConfig;
import attentionlab.experiments.tasks.TaskConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigLoaderTest {

    static final String GOOD = """
            experiment: demo
            task:  {name: associative-recall, pairs: 3, vocab: 6, train_examples: 64, val_examples: 16}
            model: {d_model: 16, heads: 2, layers: 1, kernel: softmax}
            train: {steps: 5, batch_size: 8, lr: 1e-3, eval_every: 5, seeds: [0, 1]}
            """;

    @TempDir
    Path dir;

    Path write(String yaml) throws IOException {
        Path file = Files.createTempFile(dir, "config", ".yaml");
        Files.writeString(file, yaml);
        return file;
    }

    /** A bad config (the good one with one line replaced or added) and fragments the one-line error must contain. */
    static Stream<Arguments> badConfigs() {
        return Stream.of(
                Arguments.of(GOOD.replace("d_model: 16", "dmodel: 16"), List.of("model.dmodel", "unknown key", "d_model")),
                Arguments.of(GOOD + "extra: 1\n", List.of("extra", "unknown key", "experiment")),
                Arguments.of(GOOD.replace("d_model: 16", "d_model: sixteen"), List.of("model.d_model", "an integer", "'sixteen'")),
                Arguments.of(GOOD.replace("d_model: 16", "d_model: 16.5"), List.of("model.d_model", "an integer", "16.5")),
                Arguments.of(GOOD.replace("d_model: 16", "d_model: 15"), List.of("model.d_model", "15", "divisible by model.heads")),
                Arguments.of(GOOD.replace("heads: 2", "heads: 0"), List.of("model.heads", "0", ">= 1")),
                Arguments.of(GOOD.replace("kernel: softmax", "kernel: sofmax"), List.of("model.kernel", "'sofmax'", "softmax, argmax")),
                Arguments.of(GOOD.replace("kernel: softmax", "kernel: quadratic, temperature: 0.5"),
                        List.of("model.temperature", "0.5", "kernel 'quadratic' does not read it", "softmax, argmax-st")),
                Arguments.of(GOOD + "variants:\n  hard: {model.kernel: argmax, model.temperature: 1.0}\n",
                        List.of("model.temperature", "kernel 'argmax' does not read it", "variants.hard")),
                Arguments.of(GOOD.replace("name: associative-recall, pairs: 3, vocab: 6, train_examples: 64, ", "name: sequence-file, "),
                        List.of("task.path", "missing required key")),
                Arguments.of(GOOD.replace("kernel: softmax", "kernel: softmax, value_dim: 9"), List.of("model.value_dim", "9", "divisible")),
                Arguments.of(GOOD.replace("name: associative-recall", "name: recall"), List.of("task.name", "'recall'", "copy")),
                Arguments.of(GOOD.replace("pairs: 3", "pairs: 3, length: 4"), List.of("task.length", "unknown key", "pairs")),
                Arguments.of(GOOD.replace("pairs: 3", "pairs: 9"), List.of("task.vocab", "6", "task.pairs")),
                Arguments.of(GOOD.replace("lr: 1e-3", "lr: 0"), List.of("train.lr", "0.0", "> 0")),
                Arguments.of(GOOD.replace("lr: 1e-3", "lr: -0.1"), List.of("train.lr", "-0.1", "> 0")),
                Arguments.of(GOOD.replace("steps: 5,", ""), List.of("train.steps", "missing required key")),
                Arguments.of(GOOD.replace("experiment: demo\n", ""), List.of("experiment", "missing required key")),
                Arguments.of(GOOD.replace("seeds: [0, 1]", "seeds: 3"), List.of("train.seeds", "a list", "3")),
                Arguments.of(GOOD.replace("seeds: [0, 1]", "seeds: [0, 0]"), List.of("train.seeds[1]", "distinct")),
                Arguments.of(GOOD.replace("seeds: [0, 1]", "seeds: [0, 1], optimizer: sgd"), List.of("train.optimizer", "'sgd'", "adam")),
                Arguments.of(GOOD.replace("model: {", "model: {causal: maybe, "), List.of("model.causal", "true or false", "'maybe'")),
                Arguments.of(GOOD.replace("experiment: demo", "experiment: a/b"), List.of("experiment", "'a/b'", "letters")),
                Arguments.of(GOOD + "variants:\n  x: {model.kernel: nope}\n", List.of("model.kernel", "'nope'", "variants.x")),
                Arguments.of(GOOD + "variants:\n  x: {model.nope: 1}\n", List.of("model.nope", "unknown key", "variants.x")),
                Arguments.of(GOOD + "variants:\n  x: {model.d_model.y: 1}\n", List.of("model.d_model", "not a section")),
                Arguments.of("just text", List.of("expected a YAML map")),
                Arguments.of("a: [1, 2", List.of("not valid YAML")));
    }

    @ParameterizedTest
    @MethodSource("badConfigs")
    void badConfigsAreRejectedWithOneLineNamingKeyValueAndAllowed(String yaml, List<String> fragments) throws IOException {
        Path file = write(yaml);
        assertThatThrownBy(() -> ConfigLoader.plan(file, List.of(), null))
                .isInstanceOf(UserError.class)
                .satisfies(e -> {
                    assertThat(e.getMessage()).doesNotContain("\n");
                    for (String f : fragments) {
                        assertThat(e.getMessage()).contains(f);
                    }
                });
    }

    static Stream<Arguments> badSets() {
        return Stream.of(
                Arguments.of("train.lr=abc", List.of("train.lr", "a number", "'abc'", "--set train.lr=")),
                Arguments.of("train.seeds=[a]", List.of("train.seeds[0]", "an integer")),
                Arguments.of("model.kernel=3", List.of("model.kernel", "a string", "3")),
                Arguments.of("model.nope=3", List.of("model.nope", "unknown key")),
                Arguments.of("train.steps", List.of("key.path=value")),
                Arguments.of("model.heads=3", List.of("model.d_model", "divisible", "3")));
    }

    @ParameterizedTest
    @MethodSource("badSets")
    void badOverridesAreRejectedTheSameWay(String set, List<String> fragments) throws IOException {
        Path file = write(GOOD);
        assertThatThrownBy(() -> ConfigLoader.plan(file, List.of(set), null))
                .isInstanceOf(UserError.class)
                .satisfies(e -> fragments.forEach(f -> assertThat(e.getMessage()).contains(f)));
    }

    @Test
    void defaultsAreFilledAndOverridesApplyToEveryVariantAndSeed() throws IOException {
        Path file = write(GOOD + "variants:\n  soft: {model.kernel: softmax}\n  hard: {model: {kernel: argmax}}\n");
        ConfigLoader.Plan plan = ConfigLoader.plan(file, List.of("train.lr=0.01", "train.seeds=[3, 4]"), null);
        assertThat(plan.experiment()).isEqualTo("demo");
        assertThat(plan.runs()).extracting(r -> r.variant() + "-s" + r.seed())
                .containsExactly("soft-s3", "soft-s4", "hard-s3", "hard-s4");
        ExperimentConfig hard = plan.runs().get(2).config();
        assertThat(hard.model().kernel()).isEqualTo("argmax");
        assertThat(hard.model().valueDim()).isEqualTo(16);
        assertThat(hard.model().outputInputDim()).isEqualTo(16);
        assertThat(hard.model().ffnHidden()).isEqualTo(64);
        assertThat(hard.train().lr()).isEqualTo(0.01);
        assertThat(hard.train().weightDecay()).isZero();
        assertThat(hard.train().seeds()).containsExactly(3L);
        assertThat(hard.variants()).isEmpty();
        assertThat(((AssociativeRecallConfig) hard.task()).encoding()).isEqualTo("fused");
    }

    @Test
    void seedOptionReplacesTheSeeds() throws IOException {
        ConfigLoader.Plan plan = ConfigLoader.plan(write(GOOD), List.of(), 7L);
        assertThat(plan.runs()).singleElement().satisfies(r -> {
            assertThat(r.seed()).isEqualTo(7);
            assertThat(r.variant()).isEqualTo("softmax");
        });
    }

    @Test
    void resolvedConfigReadsBackAsTheSameRun() throws IOException {
        Path file = write(GOOD + "variants:\n  hard: {model.kernel: argmax, train.lr: 0.02}\n");
        ExperimentConfig run = ConfigLoader.plan(file, List.of(), null).runs().get(1).config();
        String yaml = ConfigLoader.toYaml(run);
        assertThat(yaml).doesNotContain("!<").contains("variant: hard");
        ExperimentConfig again = ConfigLoader.loadRun(write(yaml));
        assertThat(again).isEqualTo(run);
        assertThat(ConfigLoader.toYaml(again)).isEqualTo(yaml);
    }

    @Test
    void sequenceTasksHaveTheirOwnKeys() throws IOException {
        String yaml = GOOD.replace("name: associative-recall, pairs: 3, vocab: 6", "name: sort, length: 5, vocab: 7");
        TaskConfig task = ConfigLoader.plan(write(yaml), List.of(), null).runs().get(0).config().task();
        assertThat(task).isEqualTo(new SequenceTaskConfig("sort", 5, 7, 64, 16));
    }

    /** A kernel option the kernel does not read is neither set by default nor written to config.yaml. */
    @Test
    void kernelOptionsAreDefaultedAndWrittenOnlyForKernelsThatReadThem() throws IOException {
        Path file = write(GOOD.replace("kernel: softmax", "kernel: softmax, temperature: 0.5")
                + "variants:\n  soft: {}\n  quad: {model.kernel: quadratic, model.temperature: null}\n");
        assertThatThrownBy(() -> ConfigLoader.plan(file, List.of(), null)).hasMessageContaining("model.temperature");
        ConfigLoader.Plan plan = ConfigLoader.plan(write(GOOD + "variants:\n  soft: {}\n  quad: {model.kernel: quadratic}\n"),
                List.of(), null);
        assertThat(plan.runs().get(0).config().model().temperature()).isEqualTo(1.0);
        assertThat(ConfigLoader.toYaml(plan.runs().get(0).config())).contains("temperature: 1.0");
        ExperimentConfig quad = plan.runs().get(2).config();
        String yaml = ConfigLoader.toYaml(quad);
        assertThat(yaml).doesNotContain("temperature");
        assertThat(ConfigLoader.loadRun(write(yaml))).isEqualTo(quad);
    }

    /** task.path is relative to the config file; the resolved config names the file absolutely. */
    @Test
    void sequenceFilePathsResolveAgainstTheConfigFile() throws IOException {
        Path sub = Files.createDirectories(dir.resolve("sub"));
        Path config = Files.writeString(sub.resolve("seq.yaml"), GOOD.replace(
                "name: associative-recall, pairs: 3, vocab: 6, train_examples: 64, val_examples: 16",
                "name: sequence-file, path: data/x.csv, val_examples: 4"));
        ExperimentConfig run = ConfigLoader.plan(config, List.of(), null).runs().get(0).config();
        assertThat(run.task()).isEqualTo(new SequenceFileConfig("sequence-file", sub.resolve("data/x.csv").toAbsolutePath()
                .normalize().toString(), 4));
        assertThat(ConfigLoader.loadRun(write(ConfigLoader.toYaml(run)))).isEqualTo(run);
    }
}
