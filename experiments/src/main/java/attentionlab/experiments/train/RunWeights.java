package attentionlab.experiments.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import attentionlab.experiments.config.ConfigLoader;
import attentionlab.experiments.config.ExperimentConfig;
import attentionlab.experiments.core.UserError;
import attentionlab.experiments.layout.RunLayout;
import attentionlab.experiments.model.ModelFactory;
import attentionlab.experiments.tasks.Task;
import attentionlab.experiments.tasks.Tasks;
import attentionlab.models.attention.MultiHeadAttention;
import attentionlab.models.stack.SequenceModel;
import attentionlab.models.weights.PyTorchWeights;
import attentionlab.models.weights.TensorFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A run's weights in PyTorch's names and layout ({@link PyTorchWeights}, docs/weights.md): out of a
 * run's checkpoint into a .npz or .safetensors file ({@code lab weights export}), and into a new run
 * from {@code train.init_weights} ({@code lab run --init-weights FILE}).
 */
public final class RunWeights {

    private RunWeights() {}

    /** What {@link #export} wrote. */
    public record Exported(Path file, int step, int tensors) {}

    /**
     * Writes the weights of a run's checkpoint: the whole model, or one layer's attention block (names
     * without the {@code layers.<i>.attention.} prefix, as {@code nn.MultiheadAttention.state_dict()} has them).
     *
     * @param step the checkpoint's step; null: the newest
     * @param attentionLayer a layer index for its attention block only; null: the whole model
     * @param out the file (.npz or .safetensors), which must not exist
     * @throws UserError naming the run, the step, the layer or the file when one of them does not fit
     */
    public static Exported export(Path runDir, Integer step, PyTorchWeights.Layout layout, Integer attentionLayer, Path out) {
        RunLayout run = new RunLayout(runDir);
        if (!Files.isRegularFile(run.config())) {
            throw new UserError(runDir + ": not a run directory (no " + RunLayout.CONFIG + ")");
        }
        if (Files.exists(out)) {
            throw new UserError("--out " + out + ": exists already; outputs are never overwritten, choose another file");
        }
        ExperimentConfig config = ConfigLoader.loadRun(run.config());
        Path checkpoint = checkpoint(run, step);
        Task task = Tasks.create(config.task());
        try (Checkpoints.Loaded loaded = Checkpoints.load(checkpoint, () -> ModelFactory.create(config.model(), task))) {
            SequenceModel model = (SequenceModel) loaded.model().getBlock();
            Files.createDirectories(out.toAbsolutePath().getParent());
            try (NDManager scratch = NDManager.newBaseManager()) {
                Map<String, NDArray> tensors = attentionLayer == null
                        ? PyTorchWeights.stateDict(model, layout, scratch)
                        : PyTorchWeights.stateDict(attention(model, attentionLayer), layout, scratch);
                TensorFiles.write(out, tensors);
                return new Exported(out, loaded.step(), tensors.size());
            }
        } catch (IllegalArgumentException e) {
            throw new UserError("--out " + out + ": " + e.getMessage());
        } catch (IOException e) {
            throw new UserError("cannot export " + checkpoint + " to " + out + ": " + e.getMessage());
        }
    }

    private static Path checkpoint(RunLayout run, Integer step) {
        List<Path> all = Checkpoints.list(run.checkpoints());
        if (all.isEmpty()) {
            throw new UserError(run.dir() + ": no checkpoint (" + RunLayout.CHECKPOINTS + "/ is empty)");
        }
        if (step == null) {
            return all.get(all.size() - 1);
        }
        Path wanted = run.checkpoint(step);
        if (!all.contains(wanted)) {
            throw new UserError("--step " + step + ": no such checkpoint in " + run.checkpoints() + "; steps: "
                    + String.join(", ", all.stream().map(p -> Integer.toString(Checkpoints.stepOf(p))).toList()));
        }
        return wanted;
    }

    private static MultiHeadAttention attention(SequenceModel model, int layer) {
        if (layer < 0 || layer >= model.layers().size()) {
            throw new UserError("--attention-layer " + layer + " is invalid; the model has layers 0 to " + (model.layers().size() - 1));
        }
        if (model.layers().get(layer).attention() instanceof MultiHeadAttention block) {
            return block;
        }
        throw new UserError("--attention-layer " + layer + ": the layer attends with "
                + model.layers().get(layer).attention().getClass().getSimpleName() + ", not MultiHeadAttention");
    }

    /**
     * Checks that a config's {@code train.init_weights} (if any) loads into its model: every tensor present
     * with its shape, nothing else.
     *
     * @throws UserError naming the file, the tensor and both shapes
     */
    public static void checkInitWeights(ExperimentConfig config, Task task) {
        String file = config.train().initWeights();
        if (file == null || file.isEmpty()) {
            return;
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            SequenceModel model = ModelFactory.create(config.model(), task);
            try {
                model.initialize(manager, DataType.FLOAT32, ModelFactory.inputShape(task, 1));
            } catch (IllegalArgumentException e) {
                return; // a model that cannot be built (homework 3b's W_o) fails as a run, recorded with its reason
            }
            load(model, Path.of(file));
        }
    }

    /**
     * Copies the file's weights into an initialised model.
     *
     * @throws UserError naming the file and the tensor if it does not fit
     */
    static void load(SequenceModel model, Path file) {
        try {
            PyTorchWeights.load(model, file);
        } catch (IllegalArgumentException e) {
            throw new UserError("train.init_weights: " + e.getMessage());
        } catch (IOException e) {
            throw new UserError("train.init_weights: cannot read " + file + ": " + e.getMessage());
        }
    }
}
