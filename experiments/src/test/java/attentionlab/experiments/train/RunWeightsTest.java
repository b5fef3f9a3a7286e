package attentionlab.experiments.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import attentionlab.experiments.config.ConfigLoader;
import attentionlab.experiments.config.Overrides;
import attentionlab.experiments.core.UserError;
import attentionlab.experiments.model.ModelFactory;
import attentionlab.experiments.sweep.ExperimentRunner;
import attentionlab.experiments.sweep.RunRequest;
import attentionlab.experiments.tasks.Tasks;
import attentionlab.models.reference.ParameterNames;
import attentionlab.models.weights.PyTorchWeights;
import attentionlab.models.weights.TensorFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** lab weights export (a run's checkpoint in PyTorch's layout) and lab run --init-weights (a new run from such a file). */
class RunWeightsTest {

    @TempDir
    Path tmp;

    Path run;

    @BeforeEach
    void trainOne() {
        run = train(TinyRuns.RECALL, Overrides.none(), "a").resolve("softmax-s0");
    }

    Path train(String yaml, Overrides o, String out) {
        return ExperimentRunner.run(new RunRequest(TinyRuns.config(tmp, yaml), o, tmp.resolve(out), 1, null, null, null))
                .experimentDir();
    }

    /** A parameter of a checkpoint, read through DJL's own loader (not through PyTorchWeights). */
    static float[] parameter(Path runDir, int step, String name) throws IOException {
        var config = ConfigLoader.loadRun(runDir.resolve("config.yaml"));
        var task = Tasks.create(config.task());
        try (Checkpoints.Loaded c = Checkpoints.load(new attentionlab.experiments.layout.RunLayout(runDir).checkpoint(step),
                () -> ModelFactory.create(config.model(), task))) {
            return ParameterNames.find(c.model().getBlock(), name).getArray().toFloatArray();
        }
    }

    static float[] rows(NDArray tensor, int from, int to) {
        return tensor.get(new NDIndex("{}:{}", from, to)).toFloatArray();
    }

    @Test
    void exportWritesTheNewestCheckpointInPyTorchsNamesAndLayout() throws IOException {
        Path file = tmp.resolve("out/w.safetensors");
        RunWeights.Exported e = RunWeights.export(run, null, PyTorchWeights.Layout.PACKED, null, file);
        assertThat(e.step()).isEqualTo(12);
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> t = TensorFiles.read(file, m);
            assertThat(t).hasSize(e.tensors()).containsKeys("token_embedding.weight", "layers.0.attention.in_proj_weight",
                    "layers.0.attention.out_proj.bias", "layers.0.ffn.2.weight", "ln_final.weight", "head.bias");
            NDArray inProj = t.get("layers.0.attention.in_proj_weight"); // [3 d_model, d_model] = [W_q; W_k; W_v]
            assertThat(inProj.getShape().getShape()).containsExactly(48, 16);
            assertThat(rows(inProj, 0, 16)).containsExactly(parameter(run, 12, "layer0_attention_W_q_weight"));
            assertThat(rows(inProj, 16, 32)).containsExactly(parameter(run, 12, "layer0_attention_W_k_weight"));
            assertThat(rows(inProj, 32, 48)).containsExactly(parameter(run, 12, "layer0_attention_W_v_weight"));
            assertThat(rows(inProj, 0, 16)).isNotEqualTo(parameter(run, 0, "layer0_attention_W_q_weight")); // trained, not initial
        }
        Path initial = tmp.resolve("initial.npz");
        assertThat(RunWeights.export(run, 0, PyTorchWeights.Layout.SEPARATE, null, initial).step()).isZero();
        try (NDManager m = NDManager.newBaseManager()) {
            assertThat(TensorFiles.read(initial, m).get("layers.0.attention.q_proj.weight").toFloatArray())
                    .containsExactly(parameter(run, 0, "layer0_attention_W_q_weight"));
        }
    }

    @Test
    void oneAttentionBlockHasNnMultiheadAttentionsNames() throws IOException {
        Path file = tmp.resolve("block.npz");
        RunWeights.export(run, null, PyTorchWeights.Layout.PACKED, 0, file);
        try (NDManager m = NDManager.newBaseManager()) {
            assertThat(TensorFiles.read(file, m)).containsOnlyKeys("in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias");
        }
    }

    @Test
    void badExportsAreUserErrorsAndWriteNothing() throws IOException {
        Path file = tmp.resolve("w.npz");
        assertThatThrownBy(() -> RunWeights.export(run, 5, PyTorchWeights.Layout.PACKED, null, file))
                .isInstanceOf(UserError.class).hasMessageContaining("--step 5: no such checkpoint").hasMessageContaining("steps: 0, 12");
        assertThatThrownBy(() -> RunWeights.export(run, null, PyTorchWeights.Layout.PACKED, 3, file))
                .isInstanceOf(UserError.class).hasMessageContaining("--attention-layer 3 is invalid; the model has layers 0 to 0");
        assertThatThrownBy(() -> RunWeights.export(run, null, PyTorchWeights.Layout.PACKED, null, tmp.resolve("w.pt")))
                .isInstanceOf(UserError.class).hasMessageContaining(".npz, .safetensors");
        assertThat(file).doesNotExist();
        Files.writeString(file, "mine");
        assertThatThrownBy(() -> RunWeights.export(run, null, PyTorchWeights.Layout.PACKED, null, file))
                .isInstanceOf(UserError.class).hasMessageContaining("exists already");
        assertThat(file).hasContent("mine");
        assertThatThrownBy(() -> RunWeights.export(tmp, null, PyTorchWeights.Layout.PACKED, null, tmp.resolve("x.npz")))
                .isInstanceOf(UserError.class).hasMessageContaining("not a run directory");
    }

    @Test
    void aRunStartedFromExportedWeightsBeginsWhereTheExportedRunEnded() throws IOException {
        Path file = tmp.resolve("w.safetensors");
        RunWeights.export(run, null, PyTorchWeights.Layout.PACKED, null, file);
        Path next = train(TinyRuns.RECALL, Overrides.none().withInitWeights(file), "b").resolve("softmax-s0");
        assertThat(ConfigLoader.loadRun(next.resolve("config.yaml")).train().initWeights()).isEqualTo(file.toAbsolutePath().toString());
        for (String p : List.of("layer0_attention_W_q_weight", "token_embedding", "head_weight")) {
            assertThat(parameter(next, 0, p)).as(p).containsExactly(parameter(run, 12, p));
        }
        // the same validation set: the new run's step-0 validation loss is the old run's last one
        List<String> before = TinyRuns.column(run.resolve("metrics.csv"), "val/loss");
        assertThat(TinyRuns.column(next.resolve("metrics.csv"), "val/loss").get(0)).isEqualTo(before.get(before.size() - 1));
        // the loaded weights are the run's initial weights: argmax leaves W_q as loaded
        Path frozen = train(TinyRuns.RECALL.replace("kernel: softmax", "kernel: argmax"), Overrides.none().withInitWeights(file), "c")
                .resolve("argmax-s0");
        assertThat(attentionlab.experiments.io.Json.MAPPER.readTree(frozen.resolve("summary.json").toFile())
                .get("unchanged_parameters").toString()).contains("layer0_attention_W_q_weight");
        assertThat(parameter(frozen, 12, "layer0_attention_W_q_weight")).containsExactly(parameter(run, 12, "layer0_attention_W_q_weight"));
    }

    @Test
    void weightsThatDoNotFitTheModelAreRefusedBeforeAnythingIsCreated() {
        Path file = tmp.resolve("w.npz");
        RunWeights.export(run, null, PyTorchWeights.Layout.PACKED, null, file);
        Path out = tmp.resolve("wide");
        assertThatThrownBy(() -> train(TinyRuns.RECALL.replace("d_model: 16", "d_model: 32"), Overrides.none().withInitWeights(file), "wide"))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("train.init_weights: " + file)
                .hasMessageContaining("tensor 'token_embedding.weight' has shape").hasMessageContaining("but the model expects");
        assertThat(out).doesNotExist();
    }
}
