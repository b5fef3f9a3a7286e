package attentionlab.experiments.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import attentionlab.experiments.compare.CompareOptions;
import attentionlab.experiments.compare.Comparison;
import attentionlab.experiments.compare.RunGroup;
import attentionlab.experiments.config.ConfigLoader;
import attentionlab.experiments.config.Overrides;
import attentionlab.experiments.core.UserError;
import attentionlab.experiments.io.Json;
import attentionlab.experiments.layout.RunStatus;
import attentionlab.experiments.train.RunResult;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Experiments as points: grids with a manifest, experiment-level resume, and worker JVMs. */
class SweepRunTest {

    static final String TINY = """
            experiment: tiny
            task:  {name: associative-recall, pairs: 3, vocab: 6, train_examples: 256, val_examples: 64}
            model: {d_model: 16, heads: 2, layers: 1, ffn_hidden: 32, kernel: softmax}
            train: {steps: 8, batch_size: 16, lr: 0.003, eval_every: 4, checkpoint_every: 3, seeds: [0]}
            """;

    /** Two variants, one of which diverges at once. */
    static final String CALM_AND_WILD = TINY.replace("seeds: [0]", "seeds: [0, 1]")
            + "variants:\n  calm: {train.lr: 0.003}\n  wild: {train.lr: 1.0e30}\n";

    @TempDir
    Path tmp;

    Path config(String yaml) {
        try {
            return Files.writeString(Files.createTempFile(tmp, "config", ".yaml"), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    RunRequest request(String yaml, Overrides o, String out, int jobs, Integer threads, BooleanSupplier stop) {
        return new RunRequest(config(yaml), o, tmp.resolve(out), jobs, threads, null, stop);
    }

    static List<String> column(Path runDir, String name) {
        try {
            List<String> lines = Files.readAllLines(runDir.resolve("metrics.csv"));
            int index = List.of(lines.get(0).split(",", -1)).indexOf(name);
            return lines.subList(1, lines.size()).stream().map(l -> l.split(",", -1)[index]).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void everyGridPointIsARunListedInTheManifestAndCompareKeepsThePointsApart() {
        ExperimentResult result = ExperimentRunner.run(request(TINY.replace("seeds: [0]", "seeds: [0, 1]"),
                Overrides.none().withGrids(List.of("train.lr=0.003,0.01")), "runs", 1, null, null));
        assertThat(result.allCompleted()).isTrue();
        assertThat(result.runs()).extracting(r -> r.runDir().getFileName().toString())
                .containsExactly("softmax_lr-0.003-s0", "softmax_lr-0.003-s1", "softmax_lr-0.01-s0", "softmax_lr-0.01-s1");
        Path dir = result.experimentDir();
        Manifest manifest = Manifest.read(dir);
        assertThat(manifest.points()).extracting(Manifest.Point::status).containsOnly("completed");
        assertThat(manifest.grid()).containsOnlyKeys("train.lr");
        assertThat(manifest.command()).contains("--grid train.lr=0.003,0.01");
        Manifest.Point third = manifest.points().get(2);
        assertThat(third.index()).isEqualTo(2);
        assertThat(third.grid().get("train.lr").asDouble()).isEqualTo(0.01);
        assertThat(ConfigLoader.loadRun(dir.resolve(third.run()).resolve("config.yaml"))).isEqualTo(manifest.config(third, dir));
        assertThat(manifest.config(third, dir).train().lr()).isEqualTo(0.01);

        List<RunGroup> groups = Comparison.run(CompareOptions.of(List.of(dir)).withMetrics(List.of("train/loss"))).groups();
        assertThat(groups).extracting(RunGroup::label).containsExactly("softmax_lr-0.003", "softmax_lr-0.01");
        assertThat(groups).allSatisfy(g -> assertThat(g.runs()).hasSize(2));
    }

    @Test
    void resumeOfAnExperimentContinuesInterruptedAndLostRunsStartsTheRestAndLeavesDivergedOnes() throws IOException {
        Path whole = ExperimentRunner.run(request(CALM_AND_WILD, Overrides.none(), "whole", 1, null, null)).experimentDir();

        AtomicInteger checks = new AtomicInteger();
        ExperimentResult cut = ExperimentRunner.run(request(CALM_AND_WILD, Overrides.none(), "cut", 1, null,
                () -> checks.incrementAndGet() > 6)); // calm-s0 stops after step 5; the other three never start
        Path dir = cut.experimentDir();
        assertThat(cut.runs()).extracting(RunResult::status).containsExactly(RunStatus.INTERRUPTED);
        assertThat(cut.notes()).hasSize(3).allSatisfy(n -> assertThat(n).contains("not started"));
        assertThat(cut.allCompleted()).isFalse();
        assertThat(Manifest.read(dir).points()).extracting(Manifest.Point::status)
                .containsExactly("interrupted", "pending", "pending", "pending");
        assertThat(SweepStatus.of(dir).rows()).extracting(PointStates.Row::state).containsExactly(
                PointState.INTERRUPTED, PointState.NOT_STARTED, PointState.NOT_STARTED, PointState.NOT_STARTED);

        // as if its process had been killed: meta.json still says running, and nobody holds the run
        Path meta = dir.resolve("calm-s0/meta.json");
        ObjectNode m = (ObjectNode) Json.MAPPER.readTree(meta.toFile());
        Json.write(meta, m.put("status", "running"));
        assertThat(SweepStatus.of(dir).rows().get(0).state()).isEqualTo(PointState.LOST);

        ExperimentResult resumed = ExperimentRunner.resume(dir, 1, null, null, () -> false);
        assertThat(resumed.runs()).extracting(RunResult::status)
                .containsExactly(RunStatus.COMPLETED, RunStatus.COMPLETED, RunStatus.DIVERGED, RunStatus.DIVERGED);
        for (String run : List.of("calm-s0", "calm-s1")) {
            for (String column : List.of("step", "train/loss", "val/loss", "grad_norm/layer0_attention_W_q_weight")) {
                assertThat(column(dir.resolve(run), column)).as(run + " " + column).isEqualTo(column(whole.resolve(run), column));
            }
        }

        ExperimentResult again = ExperimentRunner.resume(dir, 1, null, null, () -> false);
        assertThat(again.runs()).extracting(RunResult::status)
                .containsExactly(RunStatus.COMPLETED, RunStatus.COMPLETED, RunStatus.DIVERGED, RunStatus.DIVERGED);
        assertThat(again.notes()).hasSize(2).allSatisfy(n -> assertThat(n).contains("diverged, not retried", "--point wild-s"));
        assertThat(SweepStatus.of(dir).summary()).isEqualTo("4 points: 2 done, 2 diverged");
    }

    @Test
    void resumeRefusesAnExperimentAnotherProcessIsRunning() {
        Path dir = ExperimentRunner.run(request(TINY, Overrides.none(), "runs", 1, null, () -> true)).experimentDir();
        try (PointLocks.Held lock = PointLocks.tryExperiment(dir)) {
            assertThat(lock).isNotNull();
            assertThatThrownBy(() -> ExperimentRunner.resume(dir, 1, null, null, () -> false))
                    .isInstanceOf(UserError.class).hasMessageContaining("another lab run or resume is running this experiment");
            assertThat(SweepStatus.of(dir).rows().get(0).state()).isEqualTo(PointState.PENDING);
        }
        assertThat(SweepStatus.of(dir).rows().get(0).state()).isEqualTo(PointState.NOT_STARTED);
    }

    @Test
    void workerJvmsTrainEveryPointToTheSameCurvesAndOneDivergedRunStopsNoOther() throws IOException {
        Path inProcess = ExperimentRunner.run(request(CALM_AND_WILD, Overrides.none(), "one", 1, null, null)).experimentDir();
        String threads = System.getProperty("ai.djl.pytorch.num_threads", "2"); // the same count: bit-identical curves
        ExperimentResult workers = ExperimentRunner.run(request(CALM_AND_WILD, Overrides.none(), "two", 2, Integer.valueOf(threads), null));
        assertThat(workers.runs()).extracting(RunResult::status)
                .containsExactly(RunStatus.COMPLETED, RunStatus.COMPLETED, RunStatus.DIVERGED, RunStatus.DIVERGED);
        assertThat(workers.notes()).isEmpty();
        Path dir = workers.experimentDir();
        for (String run : List.of("calm-s0", "calm-s1")) {
            assertThat(Json.MAPPER.readTree(dir.resolve(run + "/meta.json").toFile()).get("threads").asText()).isEqualTo(threads);
            for (String column : List.of("train/loss", "val/loss", "grad_norm/layer0_attention_W_q_weight")) {
                assertThat(column(dir.resolve(run), column)).as(run + " " + column).isEqualTo(column(inProcess.resolve(run), column));
            }
        }
        assertThat(Manifest.read(dir).points()).extracting(Manifest.Point::status)
                .containsExactly("completed", "completed", "diverged", "diverged");
    }

    @Test
    void stopInterruptsTheWorkersRunsAndResumeWithWorkersFinishesThem() {
        String yaml = TINY.replace("steps: 8", "steps: 100").replace("seeds: [0]", "seeds: [0, 1, 2]");
        BooleanSupplier bothTraining = () -> started(tmp.resolve("runs"), 2);
        ExperimentResult cut = ExperimentRunner.run(request(yaml, Overrides.none(), "runs", 2, 1, bothTraining));
        assertThat(cut.runs()).extracting(RunResult::status).containsExactly(RunStatus.INTERRUPTED, RunStatus.INTERRUPTED);
        assertThat(cut.notes()).singleElement().asString().startsWith("softmax-s2: not started");
        Path dir = cut.experimentDir();
        assertThat(Manifest.read(dir).points()).extracting(Manifest.Point::status).containsExactly("interrupted", "interrupted", "pending");
        assertThat(Json.read(dir.resolve("softmax-s0/meta.json"), com.fasterxml.jackson.databind.JsonNode.class).get("threads").asText())
                .isEqualTo("1"); // the worker's own engine thread count

        ExperimentResult resumed = ExperimentRunner.resume(dir, 2, 1, null, () -> false);
        assertThat(resumed.allCompleted()).isTrue();
        assertThat(resumed.runs()).hasSize(3);
        assertThat(column(dir.resolve("softmax-s0"), "step")).hasSize(101);
    }

    /** Whether at least {@code runs} runs under {@code root} have logged a training step. */
    private static boolean started(Path root, int runs) {
        try (var files = Files.exists(root) ? Files.walk(root, 4) : java.util.stream.Stream.<Path>empty()) {
            return files.filter(p -> p.getFileName().toString().equals("metrics.csv")).filter(p -> {
                try {
                    return Files.readAllLines(p).size() > 3;
                } catch (IOException e) {
                    return false;
                }
            }).count() >= runs;
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }
}
