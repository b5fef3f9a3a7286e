package attentionlab.experiments.train;

import attentionlab.experiments.sweep.RunRequest;
import attentionlab.experiments.sweep.ExperimentRunner;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import attentionlab.experiments.config.ConfigLoader;
import attentionlab.experiments.config.ExperimentConfig;
import attentionlab.experiments.core.StopSignal;
import attentionlab.experiments.layout.RunLayout;
import attentionlab.experiments.layout.RunStatus;
import attentionlab.experiments.maps.AttentionSnapshots;
import attentionlab.experiments.maps.Snapshot;
import attentionlab.experiments.maps.SnapshotExamples;
import attentionlab.experiments.model.ModelFactory;
import attentionlab.experiments.tasks.Examples;
import attentionlab.experiments.tasks.Task;
import attentionlab.experiments.tasks.Tasks;
import attentionlab.models.stack.SequenceModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attention snapshots a run saves: one file per evaluation step (0, every eval_every, the last),
 * every layer [E,H,N,N] of the first validation examples, equal to the maps of the checkpointed model;
 * a resumed run ends with the same files as an uninterrupted one.
 */
class AttentionSnapshotListenerTest {

    /** Two layers, 2 heads, N = 4, evaluations at 0, 4, 8, 12. */
    static final String TWO_LAYERS = TinyRuns.RECALL.replace("layers: 1", "layers: 2");

    @TempDir
    Path tmp;

    Path train(String yaml, Path out) {
        return ExperimentRunner.run(new RunRequest(TinyRuns.config(tmp, yaml), List.of(), null, out, null, null)).runs().get(0).runDir();
    }

    /**
     * Planted bugs caught: saving at every step or skipping step 0 (steps), dropping a layer (layer1),
     * the wrong examples or pre-update weights (equal to the checkpointed model's maps), wrong targets.
     */
    @Test
    void eachEvaluationSavesEveryLayerOfTheFirstValidationExamples() throws Exception {
        Path run = train(TWO_LAYERS, tmp.resolve("runs"));
        RunLayout layout = new RunLayout(run);
        assertThat(AttentionSnapshots.steps(layout)).containsExactly(0, 4, 8, 12);
        for (int step : List.of(0, 4, 8, 12)) {
            Snapshot s = AttentionSnapshots.read(layout, step);
            assertThat(s.layers()).hasSize(2);
            assertThat(List.of(s.examples(), s.heads(), s.queries(), s.keys())).containsExactly(4, 2, 4, 4);
            for (int l = 0; l < 2; l++) {
                for (int e = 0; e < 4; e++) {
                    for (int h = 0; h < 2; h++) {
                        for (float[] row : s.map(l, e, h)) {
                            double sum = 0;
                            for (float w : row) {
                                sum += w;
                            }
                            assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
                        }
                    }
                }
            }
        }
        ExperimentConfig config = ConfigLoader.loadRun(layout.config());
        Task task = Tasks.create(config.task());
        Examples val = task.validation();
        SnapshotExamples examples = AttentionSnapshots.examples(layout);
        assertThat(examples.indices()).containsExactly(0, 1, 2, 3);
        assertThat(examples.positions().get(1)).isEqualTo(task.positionNames(val, 1)).hasSize(4);
        assertThat(examples.targetQuery()).containsOnly(3);
        assertThat(examples.targetKey()).containsExactly(val.targetKey()[0], val.targetKey()[1], val.targetKey()[2], val.targetKey()[3]);

        for (int step : List.of(0, 12)) { // the checkpoints kept
            float[] saved = concat(AttentionSnapshots.read(layout, step));
            assertThat(saved).containsExactly(recomputed(layout, config, task, val, step));
        }
    }

    /**
     * Planted bugs caught: not deleting snapshots after the checkpoint's step on resume (the stale
     * step-10 stays), leaving a half-written file, or recomputing different maps after a resume.
     */
    @Test
    void aResumedRunEndsWithTheSameSnapshotsAsAnUninterruptedOne() throws Exception {
        String yaml = TinyRuns.RECALL.replace("seeds: [0]", "seeds: [0], checkpoint_every: 3");
        RunLayout whole = new RunLayout(train(yaml, tmp.resolve("whole")));

        AtomicInteger calls = new AtomicInteger();
        Path cut = ExperimentRunner.run(new RunRequest(TinyRuns.config(tmp, yaml), List.of(), null, tmp.resolve("cut"), null,
                () -> calls.incrementAndGet() > 8)).runs().get(0).runDir(); // stops after step 7, checkpoint step-7
        RunLayout partial = new RunLayout(cut);
        assertThat(AttentionSnapshots.steps(partial)).containsExactly(0, 4);
        // as if an earlier process had evaluated past the checkpoint and died while writing
        Files.copy(partial.attentionSnapshot(4), partial.attentionSnapshot(10));
        Files.writeString(partial.attention().resolve("step-8.partial.npz"), "half");

        assertThat(RunTrainer.resume(cut, null, null, new StopSignal()).status()).isEqualTo(RunStatus.COMPLETED);
        try (var files = Files.list(partial.attention())) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted())
                    .containsExactly("examples.json", "step-0.npz", "step-12.npz", "step-4.npz", "step-8.npz");
        }
        for (int step : AttentionSnapshots.steps(whole)) {
            assertThat(concat(AttentionSnapshots.read(partial, step))).as("step " + step)
                    .containsExactly(concat(AttentionSnapshots.read(whole, step)));
        }
        assertThat(AttentionSnapshots.examples(partial)).isEqualTo(AttentionSnapshots.examples(whole));
    }

    private static float[] concat(Snapshot s) {
        float[] all = new float[0];
        for (float[] layer : s.layers()) {
            int n = all.length;
            all = Arrays.copyOf(all, n + layer.length);
            System.arraycopy(layer, 0, all, n, layer.length);
        }
        return all;
    }

    /** The maps of the checkpointed model at {@code step} on the first 4 validation examples, layer after layer. */
    private static float[] recomputed(RunLayout layout, ExperimentConfig config, Task task, Examples val, int step) throws Exception {
        try (Checkpoints.Loaded checkpoint = Checkpoints.load(layout.checkpoint(step), () -> ModelFactory.create(config.model(), task));
             NDManager manager = NDManager.newBaseManager()) {
            SequenceModel model = (SequenceModel) checkpoint.model().getBlock();
            NDArray tokens = manager.create(Arrays.copyOf(val.tokens(), 4 * val.length() * val.channels()),
                    new Shape(4, val.length(), val.channels()));
            List<NDArray> maps = model.attentionWeights(new ParameterStore(manager, false), new NDList(tokens)); // L x [4,H,N,N]
            Shape shape = maps.get(0).getShape();
            return concat(new Snapshot(step, maps.stream().map(NDArray::toFloatArray).toList(), 4, (int) shape.get(1),
                    (int) shape.get(2), (int) shape.get(3)));
        }
    }
}
