package attentionlab.experiments.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import attentionlab.experiments.config.ConfigLoader;
import attentionlab.experiments.core.StopSignal;
import attentionlab.experiments.core.UserError;
import attentionlab.experiments.io.Json;
import attentionlab.experiments.layout.RunStatus;
import attentionlab.experiments.sweep.ExperimentResult;
import attentionlab.experiments.sweep.ExperimentRunner;
import attentionlab.experiments.sweep.RunRequest;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExperimentRunnerTest {

    @TempDir
    Path tmp;

    ExperimentResult run(String yaml, List<String> sets) {
        return ExperimentRunner.run(new RunRequest(TinyRuns.config(tmp, yaml), sets, null, tmp.resolve("runs"), null, null));
    }

    @Test
    void runDirectoryHoldsEveryFileInItsFormat() throws Exception {
        ExperimentResult result = run(TinyRuns.RECALL + "variants:\n  soft: {model.kernel: softmax}\n  hard: {model.kernel: argmax}\n",
                List.of());
        assertThat(result.experimentDir().getParent()).isEqualTo(tmp.resolve("runs/tiny"));
        assertThat(result.experimentDir().getFileName().toString()).matches("\\d{8}-\\d{6}");
        assertThat(result.runs()).extracting(RunResult::variant).containsExactly("soft", "hard");
        assertThat(result.allCompleted()).isTrue();
        Path run = result.experimentDir().resolve("hard-s0");
        assertThat(run).isEqualTo(result.runs().get(1).runDir());
        for (String f : List.of("config.yaml", "meta.json", "metrics.csv", "summary.json", "log.txt", "checkpoints/step-0",
                "checkpoints/step-12/model-0000.params", "checkpoints/step-12/optimizer.bin", "checkpoints/step-12/state.json")) {
            assertThat(run.resolve(f)).exists();
        }

        JsonNode meta = Json.MAPPER.readTree(run.resolve("meta.json").toFile());
        for (String key : List.of("experiment", "variant", "seed", "git_commit", "git_dirty", "djl_version", "engine",
                "engine_version", "java_version", "os", "threads", "command", "start_time", "end_time", "status",
                "steps_completed", "parameter_count")) {
            assertThat(meta.has(key)).as(key).isTrue();
        }
        assertThat(meta.get("status").asText()).isEqualTo("completed");
        assertThat(meta.get("steps_completed").asInt()).isEqualTo(12);
        assertThat(meta.get("variant").asText()).isEqualTo("hard");

        Path metrics = run.resolve("metrics.csv");
        List<String> header = TinyRuns.header(metrics);
        assertThat(header.subList(0, 8)).containsExactly("step", "wall_time_s", "train/loss", "train/accuracy", "val/loss",
                "val/accuracy", "val/sequence_accuracy", "lr");
        assertThat(header).contains("grad_norm/token_embedding", "grad_norm/layer0_attention_W_q_weight",
                "grad_norm/layer0_attention_W_o_bias", "grad_norm/head_weight", "attn_target/layer0_head1");
        assertThat(header.stream().filter(h -> h.startsWith("grad_norm/")).distinct().count())
                .isEqualTo(header.stream().filter(h -> h.startsWith("grad_norm/")).count());
        assertThat(TinyRuns.column(metrics, "step")).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12");
        assertThat(TinyRuns.column(metrics, "val/loss")).filteredOn(s -> !s.isEmpty()).hasSize(4); // steps 0, 4, 8, 12
        assertThat(TinyRuns.column(metrics, "train/loss").subList(1, 13)).allSatisfy(s -> assertThat(Double.parseDouble(s)).isPositive());
        // argmax: W_q and W_k get exactly zero gradient at every step and never change
        assertThat(TinyRuns.column(metrics, "grad_norm/layer0_attention_W_q_weight").subList(1, 13)).containsOnly("0.0");
        assertThat(TinyRuns.column(metrics, "grad_norm/layer0_attention_W_k_weight").subList(1, 13)).containsOnly("0.0");

        JsonNode summary = Json.MAPPER.readTree(run.resolve("summary.json").toFile());
        assertThat(summary.get("chance_accuracy").asDouble()).isEqualTo(1.0 / 6);
        assertThat(summary.get("task").asText()).isEqualTo("associative-recall");
        assertThat(summary.get("final").has("val/accuracy")).isTrue();
        assertBestAndFinalAreTheColumnsExtremesAndLastValues(summary, metrics);
        assertThat(summary.get("max_abs_grad").get("layer0_attention_W_q_weight").asDouble()).isZero();
        assertThat(summary.get("max_abs_grad").get("layer0_attention_W_v_weight").asDouble()).isPositive();
        assertThat(Json.MAPPER.convertValue(summary.get("unchanged_parameters"), List.class)).containsExactlyInAnyOrder(
                "layer0_attention_W_q_weight", "layer0_attention_W_q_bias", "layer0_attention_W_k_weight", "layer0_attention_W_k_bias");
        JsonNode soft = Json.MAPPER.readTree(result.experimentDir().resolve("soft-s0/summary.json").toFile());
        assertThat(soft.get("unchanged_parameters")).isEmpty();
        assertThat(soft.get("max_abs_grad").get("layer0_attention_W_q_weight").asDouble()).isPositive();

        // the resolved config re-runs the same run
        assertThat(ConfigLoader.loadRun(run.resolve("config.yaml")))
                .isEqualTo(ConfigLoader.plan(TinyRuns.config(tmp, TinyRuns.RECALL + "variants:\n  hard: {model.kernel: argmax}\n"),
                        List.of(), null).runs().get(0).config());
    }

    /** best: the lowest loss and the highest accuracy logged; final: the last logged value (columns that vary, so min != max != last). */
    private static void assertBestAndFinalAreTheColumnsExtremesAndLastValues(JsonNode summary, Path metrics) {
        for (String column : List.of("val/loss", "train/loss", "val/accuracy", "train/accuracy")) {
            List<Double> values = TinyRuns.column(metrics, column).stream().filter(v -> !v.isEmpty()).map(Double::valueOf).toList();
            double lowest = values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
            double highest = values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
            assertThat(lowest).as(column).isLessThan(highest);
            double best = column.endsWith("loss") ? lowest : highest;
            assertThat(summary.get("best").get(column).asDouble()).as("best " + column).isCloseTo(best, within(1e-6));
            assertThat(summary.get("final").get(column).asDouble()).as("final " + column)
                    .isCloseTo(values.get(values.size() - 1), within(1e-6));
        }
    }

    @Test
    void sameConfigAndSeedGiveIdenticalLossColumns() {
        Path a = run(TinyRuns.RECALL, List.of()).runs().get(0).runDir().resolve("metrics.csv");
        Path b = run(TinyRuns.RECALL, List.of()).runs().get(0).runDir().resolve("metrics.csv");
        assertThat(a).isNotEqualTo(b);
        for (String column : List.of("train/loss", "train/accuracy", "val/loss", "grad_norm/layer0_attention_W_q_weight")) {
            assertThat(TinyRuns.column(b, column)).as(column).isEqualTo(TinyRuns.column(a, column));
        }
        Path c = run(TinyRuns.RECALL, List.of("train.seeds=[1]")).runs().get(0).runDir().resolve("metrics.csv");
        assertThat(TinyRuns.column(c, "train/loss")).isNotEqualTo(TinyRuns.column(a, "train/loss"));
    }

    @Test
    void hugeLearningRateDivergesWithAReasonAndKeepsEarlierRows() throws Exception {
        ExperimentResult result = run(TinyRuns.RECALL + "variants:\n  wild: {train.lr: 1.0e30}\n  calm: {train.lr: 0.001}\n",
                List.of());
        RunResult wild = result.runs().get(0);
        assertThat(wild.status()).isEqualTo(RunStatus.DIVERGED);
        assertThat(result.runs().get(1).status()).isEqualTo(RunStatus.COMPLETED); // the others continue
        assertThat(result.allCompleted()).isFalse();
        JsonNode meta = Json.MAPPER.readTree(wild.runDir().resolve("meta.json").toFile());
        assertThat(meta.get("status").asText()).isEqualTo("diverged");
        assertThat(meta.get("reason").asText()).containsAnyOf("non-finite", "train/loss is").contains("at step").doesNotContain("\n");
        int stopped = meta.get("steps_completed").asInt();
        assertThat(stopped).isLessThan(12);
        List<String> steps = TinyRuns.column(wild.runDir().resolve("metrics.csv"), "step");
        assertThat(steps).hasSize(stopped + 1).endsWith(Integer.toString(stopped));
        assertThat(Json.MAPPER.readTree(wild.runDir().resolve("summary.json").toFile()).get("status").asText()).isEqualTo("diverged");
    }

    @Test
    void misSizedOutputProjectionFailsAtInitializationWithOneLine() throws Exception {
        ExperimentResult result = run(TinyRuns.RECALL + "variants:\n  broken: {model.value_dim: 32, model.output_input_dim: 16}\n"
                + "  fixed: {model.value_dim: 32}\n", List.of());
        assertThat(result.runs()).extracting(RunResult::status).containsExactly(RunStatus.FAILED, RunStatus.COMPLETED);
        JsonNode meta = Json.MAPPER.readTree(result.runs().get(0).runDir().resolve("meta.json").toFile());
        assertThat(meta.get("reason").asText()).contains("W_o", "16", "32").doesNotContain("\n");
    }

    @Test
    void interruptedRunResumesToTheSameCurveAsAnUninterruptedOne() {
        String yaml = TinyRuns.RECALL.replace("seeds: [0]", "seeds: [0], checkpoint_every: 3");
        Path whole = run(yaml, List.of()).runs().get(0).runDir();

        AtomicInteger calls = new AtomicInteger();
        ExperimentResult cut = ExperimentRunner.run(new RunRequest(TinyRuns.config(tmp, yaml), List.of(), null,
                tmp.resolve("cut"), null, () -> calls.incrementAndGet() > 8)); // runner check + steps 1..7
        RunResult partial = cut.runs().get(0);
        assertThat(partial.status()).isEqualTo(RunStatus.INTERRUPTED);
        assertThat(Checkpoints.list(partial.runDir().resolve("checkpoints")))
                .extracting(p -> p.getFileName().toString()).containsExactly("step-0", "step-7");

        RunResult resumed = RunTrainer.resume(partial.runDir(), null, null, new StopSignal());
        assertThat(resumed.status()).isEqualTo(RunStatus.COMPLETED);
        Path a = whole.resolve("metrics.csv");
        Path b = partial.runDir().resolve("metrics.csv");
        for (String column : TinyRuns.header(a)) {
            if (!column.equals("wall_time_s")) {
                assertThat(TinyRuns.column(b, column)).as(column).isEqualTo(TinyRuns.column(a, column));
            }
        }
        JsonNode s1 = Json.read(whole.resolve("summary.json"), JsonNode.class);
        JsonNode s2 = Json.read(partial.runDir().resolve("summary.json"), JsonNode.class);
        assertThat(s2.get("final")).isEqualTo(s1.get("final"));
        assertThat(s2.get("best")).isEqualTo(s1.get("best"));
        assertThat(s2.get("max_abs_grad")).isEqualTo(s1.get("max_abs_grad"));
        assertThat(Files.exists(partial.runDir().resolve("checkpoints/step-12"))).isTrue();
    }

    /** A checkpoint that does not fit the run's (edited) config is bad input: exit 2, and the run's record is left alone. */
    @Test
    void resumingFromACheckpointThatDoesNotFitTheConfigIsAUserErrorAndChangesNothing() throws Exception {
        String yaml = TinyRuns.RECALL.replace("seeds: [0]", "seeds: [0], checkpoint_every: 3");
        ExperimentResult cut = ExperimentRunner.run(new RunRequest(TinyRuns.config(tmp, yaml), List.of(), null,
                tmp.resolve("cut"), null, stopAfter(5)));
        Path run = cut.runs().get(0).runDir();
        Path config = run.resolve("config.yaml");
        Files.writeString(config, Files.readString(config).replace("ffn_hidden: 32", "ffn_hidden: 48"));
        String meta = Files.readString(run.resolve("meta.json"));
        assertThatThrownBy(() -> RunTrainer.resume(run, null, null, new StopSignal()))
                .isInstanceOf(UserError.class).hasMessageContaining("differs from the config checkpoint step-4 was trained with");
        // allowed, the change still cannot load the checkpoint's weights
        assertThatThrownBy(() -> RunTrainer.resume(run, null, true, null, new StopSignal()))
                .isInstanceOf(UserError.class).hasMessageContaining("cannot resume from checkpoint");
        assertThat(run.resolve("meta.json")).hasContent(meta);
    }

    private static java.util.function.BooleanSupplier stopAfter(int checks) {
        AtomicInteger calls = new AtomicInteger();
        return () -> calls.incrementAndGet() > checks;
    }
}
