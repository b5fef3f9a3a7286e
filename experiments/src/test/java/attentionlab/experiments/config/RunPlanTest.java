package attentionlab.experiments.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import attentionlab.experiments.core.UserError;
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

/** Planning beyond the file: variants chosen, --set collisions, --set-all, seeds, grids, initial weights. */
class RunPlanTest {

    static final String VARIANTS = ConfigLoaderTest.GOOD + """
            variants:
              soft: {model.kernel: softmax}
              hard: {model.kernel: argmax}
              slow: {train.lr: 0.0001}
            """;

    @TempDir
    Path dir;

    Path write(String yaml) throws IOException {
        return Files.writeString(Files.createTempFile(dir, "config", ".yaml"), yaml);
    }

    ConfigLoader.Plan plan(String yaml, Overrides o) throws IOException {
        return ConfigLoader.plan(write(yaml), o);
    }

    static Overrides sets(String... sets) {
        return Overrides.of(List.of(sets), null);
    }

    @Test
    void setOnAKeyThatAVariantSetsIsAnErrorNamingTheKeyAndTheVariants() {
        assertThatThrownBy(() -> plan(VARIANTS, sets("model.kernel=argmax")))
                .isInstanceOf(UserError.class)
                .hasMessageStartingWith("--set model.kernel=argmax: model.kernel is set by variants soft, hard,")
                .hasMessageContaining("--variant NAME").hasMessageContaining("--set-all model.kernel=argmax")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("slow").doesNotContain("\n"));
        // a section holding the key collides too
        assertThatThrownBy(() -> plan(VARIANTS, sets("model={d_model: 16, heads: 2, layers: 1, kernel: argmax}")))
                .hasMessageContaining("set by variants soft, hard");
    }

    @Test
    void setOnAKeyNoChosenVariantSetsIsAllowedAndOnlyChosenVariantsAreNamed() throws IOException {
        ConfigLoader.Plan plan = plan(VARIANTS, sets("model.kernel=argmax").withVariants(List.of("slow")));
        assertThat(plan.runs()).extracting(ConfigLoader.RunSpec::name).containsExactly("slow-s0", "slow-s1");
        assertThat(plan.runs()).allSatisfy(r -> assertThat(r.config().model().kernel()).isEqualTo("argmax"));
        assertThatThrownBy(() -> plan(VARIANTS, sets("model.kernel=argmax").withVariants(List.of("slow", "hard"))))
                .hasMessageContaining("is set by variant hard,");
        assertThat(plan(VARIANTS, sets("train.steps=3")).runs()).hasSize(6)
                .allSatisfy(r -> assertThat(r.config().train().steps()).isEqualTo(3));
    }

    @Test
    void setAllOverridesTheVariantsOnPurpose() throws IOException {
        ConfigLoader.Plan plan = plan(VARIANTS, Overrides.none().withSetAll(List.of("model.kernel=quadratic")));
        assertThat(plan.runs()).hasSize(6).allSatisfy(r -> assertThat(r.config().model().kernel()).isEqualTo("quadratic"));
        assertThat(plan.runs()).extracting(ConfigLoader.RunSpec::variant).containsExactly("soft", "soft", "hard", "hard", "slow", "slow");
    }

    @Test
    void variantOptionRunsASubsetInFileOrderAndRefusesUnknownNames() throws IOException {
        ConfigLoader.Plan plan = plan(VARIANTS, Overrides.none().withVariants(List.of("slow", "soft")));
        assertThat(plan.runs()).extracting(ConfigLoader.RunSpec::name).containsExactly("soft-s0", "soft-s1", "slow-s0", "slow-s1");
        assertThatThrownBy(() -> plan(VARIANTS, Overrides.none().withVariants(List.of("medium"))))
                .hasMessage("--variant medium: no such variant; the config's variants: soft, hard, slow");
        assertThat(plan(ConfigLoaderTest.GOOD, Overrides.none().withVariants(List.of("softmax"))).runs()).hasSize(2);
        assertThatThrownBy(() -> plan(ConfigLoaderTest.GOOD, Overrides.none().withVariants(List.of("argmax"))))
                .hasMessageContaining("its run is named 'softmax'");
    }

    @Test
    void seedOptionIsRepeatableAndChecked() throws IOException {
        ConfigLoader.Plan plan = plan(VARIANTS, Overrides.none().withSeeds(List.of(7L, 3L)).withVariants(List.of("hard")));
        assertThat(plan.runs()).extracting(ConfigLoader.RunSpec::name).containsExactly("hard-s7", "hard-s3");
        assertThatThrownBy(() -> plan(VARIANTS, Overrides.none().withSeeds(List.of(7L, 7L))))
                .hasMessageContaining("train.seeds[1]").hasMessageContaining("distinct").hasMessageContaining("--seed 7 --seed 7");
    }

    @Test
    void gridCrossesVariantsAndSeedsWithOneResolvedConfigPerPoint() throws IOException {
        String yaml = VARIANTS.replace("  slow: {train.lr: 0.0001}\n", "") + "grid:\n  model.d_model: [16, 32]\n  train: {lr: [0.01, 3e-3]}\n";
        ConfigLoader.Plan plan = plan(yaml, Overrides.none());
        assertThat(plan.grid()).containsOnlyKeys("model.d_model", "train.lr");
        assertThat(plan.runs()).extracting(ConfigLoader.RunSpec::name).containsExactly(
                "soft_d_model-16_lr-0.01-s0", "soft_d_model-16_lr-0.01-s1", "soft_d_model-16_lr-0.003-s0", "soft_d_model-16_lr-0.003-s1",
                "soft_d_model-32_lr-0.01-s0", "soft_d_model-32_lr-0.01-s1", "soft_d_model-32_lr-0.003-s0", "soft_d_model-32_lr-0.003-s1",
                "hard_d_model-16_lr-0.01-s0", "hard_d_model-16_lr-0.01-s1", "hard_d_model-16_lr-0.003-s0", "hard_d_model-16_lr-0.003-s1",
                "hard_d_model-32_lr-0.01-s0", "hard_d_model-32_lr-0.01-s1", "hard_d_model-32_lr-0.003-s0", "hard_d_model-32_lr-0.003-s1");
        ConfigLoader.RunSpec point = plan.runs().get(14); // hard, d_model 32, lr 0.003, seed 0
        assertThat(point.config().model().dModel()).isEqualTo(32);
        assertThat(point.config().model().ffnHidden()).isEqualTo(128); // defaults follow the grid's value
        assertThat(point.config().model().kernel()).isEqualTo("argmax");
        assertThat(point.config().train().lr()).isEqualTo(0.003);
        assertThat(point.config().variant()).isEqualTo("hard_d_model-32_lr-0.003");
        assertThat(point.grid()).containsOnlyKeys("model.d_model", "train.lr");
        // the resolved config reads back as the same run, without a grid
        assertThat(ConfigLoader.loadRun(write(ConfigLoader.toYaml(point.config())))).isEqualTo(point.config());
    }

    @Test
    void gridOptionAddsAKeyOrReplacesTheConfigsList() throws IOException {
        String yaml = ConfigLoaderTest.GOOD + "grid: {train.lr: [0.01, 0.02]}\n";
        ConfigLoader.Plan plan = plan(yaml, Overrides.none().withGrids(List.of("train.lr=[0.5]", "model.kernel=softmax,argmax"))
                .withSeeds(List.of(0L)));
        assertThat(plan.runs()).extracting(ConfigLoader.RunSpec::name).containsExactly("softmax_lr-0.5-s0", "argmax_lr-0.5-s0");
        assertThat(plan.runs().get(1).config().model().kernel()).isEqualTo("argmax");
    }

    static Stream<Arguments> badGrids() {
        String good = ConfigLoaderTest.GOOD;
        return Stream.of(
                Arguments.of(good + "grid: {model.d_modl: [16, 32]}\n", List.of(), List.of("model.d_modl", "unknown key", "grid model.d_modl=16")),
                Arguments.of(good, List.of("model.d_model=16,abc"), List.of("model.d_model", "an integer", "'abc'", "--grid model.d_model=abc")),
                Arguments.of(good + "grid: {model.d_model: []}\n", List.of(), List.of("grid.model.d_model", "empty")),
                Arguments.of(good, List.of("model.d_model="), List.of("--grid model.d_model=", "empty")),
                Arguments.of(good + "grid: {model.d_model: 16}\n", List.of(), List.of("grid.model.d_model", "a list")),
                Arguments.of(good + "grid: {model.d_model: [[16]]}\n", List.of(), List.of("grid.model.d_model", "single values")),
                Arguments.of(good + "grid: {model.d_model: [16, 16]}\n", List.of(), List.of("grid.model.d_model", "twice")),
                Arguments.of(good + "grid: {train.seeds: [[0], [1]]}\n", List.of(), List.of("train.seeds", "cannot be a grid key", "--seed")),
                Arguments.of(good + "grid: [1, 2]\n", List.of(), List.of("grid:", "map of key.path")),
                Arguments.of(good, List.of("model.heads"), List.of("--grid 'model.heads'", "key.path=value1")),
                Arguments.of(good + "grid: {model.d_model: [16, 15]}\n", List.of(), List.of("model.d_model", "15", "divisible", "grid model.d_model=15")),
                Arguments.of(good + "variants:\n  a: {model.kernel: softmax}\ngrid: {model.kernel: [softmax, argmax]}\n", List.of(),
                        List.of("grid model.kernel", "set by variant a")),
                Arguments.of(good.replace("name: associative-recall, pairs: 3, vocab: 6, train_examples: 64, ", "name: sequence-file, path: a.csv, "),
                        List.of("task.path=x y.csv,x-y.csv"), List.of("grid:", "two runs would be named 'softmax_path-x-y.csv-s0'")),
                Arguments.of(good, List.of("model.d_model=2,4,6,8,10,12,14,16", "train.lr=1,2,3,4,5"),
                        List.of("grid: 40 points x 1 variant(s) x 2 seed(s) = 80 runs", "--yes")));
    }

    @ParameterizedTest
    @MethodSource("badGrids")
    void badGridsAreConfigErrorsNamingTheKey(String yaml, List<String> grids, List<String> fragments) {
        assertThatThrownBy(() -> plan(yaml, Overrides.none().withGrids(grids)))
                .isInstanceOf(UserError.class)
                .satisfies(e -> {
                    assertThat(e.getMessage()).doesNotContain("\n");
                    fragments.forEach(f -> assertThat(e.getMessage()).contains(f));
                });
    }

    @Test
    void aLargeGridRunsWithYes() throws IOException {
        Overrides big = Overrides.none().withGrids(List.of("model.d_model=2,4,6,8,10,12,14,16", "train.lr=1,2,3,4,5"));
        assertThat(plan(ConfigLoaderTest.GOOD, big.withYes(true)).runs()).hasSize(80);
        assertThat(plan(ConfigLoaderTest.GOOD, big.withSeeds(List.of(0L))).runs()).hasSize(40); // 40 <= the limit
    }

    @Test
    void setOnAGridKeyIsRefused() {
        assertThatThrownBy(() -> plan(ConfigLoaderTest.GOOD, sets("train.lr=0.1").withGrids(List.of("train.lr=0.01,0.02"))))
                .hasMessageStartingWith("--set train.lr=0.1: train.lr is a grid key").hasMessageContaining("--grid train.lr=");
    }

    @Test
    void initWeightsResolvesAgainstTheConfigAndMustBeAWeightsFile() throws IOException {
        Files.writeString(dir.resolve("w.npz"), "not checked here");
        ConfigLoader.Plan plan = plan(ConfigLoaderTest.GOOD.replace("seeds: [0, 1]", "seeds: [0], init_weights: w.npz"), Overrides.none());
        assertThat(plan.runs().get(0).config().train().initWeights()).isEqualTo(dir.resolve("w.npz").toAbsolutePath().toString());
        assertThat(ConfigLoader.toYaml(plan.runs().get(0).config())).contains("init_weights: " + dir.resolve("w.npz").toAbsolutePath());
        assertThat(ConfigLoader.toYaml(plan(ConfigLoaderTest.GOOD, Overrides.none()).runs().get(0).config())).doesNotContain("init_weights");
        assertThatThrownBy(() -> plan(ConfigLoaderTest.GOOD, Overrides.none().withInitWeights(dir.resolve("w.pt"))))
                .hasMessageContaining("train.init_weights").hasMessageContaining(".npz or .safetensors").hasMessageContaining("--init-weights");
        assertThatThrownBy(() -> plan(ConfigLoaderTest.GOOD, Overrides.none().withInitWeights(dir.resolve("none.npz"))))
                .hasMessageContaining("none.npz does not exist");
    }
}
