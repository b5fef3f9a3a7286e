package attentionlab.experiments.train;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.nn.Block;
import attentionlab.experiments.io.Json;
import attentionlab.experiments.layout.RunKeys;
import attentionlab.experiments.layout.RunLayout;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A run's {@code checkpoints/} directory, as files (it knows nothing of the session that uses it). Each
 * checkpoint is a directory {@code step-<t>} ({@link RunLayout}) with
 * <ul>
 *   <li>{@code model-0000.params}: the parameters, DJL's format ({@code Model.save})</li>
 *   <li>{@code optimizer.bin}: Adam's first and second moments per parameter</li>
 *   <li>{@code state.json}: step, wall time, and the listeners' accumulated state (best metrics, max |g|)</li>
 * </ul>
 * {@code step-0} holds the initial weights and is kept; of the others only the newest is kept. With
 * these a resumed run continues exactly as the uninterrupted run would (same batches, same moments).
 */
final class Checkpoints {

    private Checkpoints() {}

    /** Writes the optimizer's state into a checkpoint. */
    interface OptimizerState {
        void write(DataOutputStream out) throws IOException;
    }

    /** A checkpoint read back: a model holding its parameters (close it), the optimizer file and the state. */
    record Loaded(Path dir, int step, double wallTime, Model model, JsonNode listenerState) implements AutoCloseable {
        DataInputStream optimizerState() throws IOException {
            return new DataInputStream(new BufferedInputStream(Files.newInputStream(dir.resolve(RunLayout.CHECKPOINT_OPTIMIZER))));
        }

        @Override
        public void close() {
            model.close();
        }
    }

    /** Writes checkpoint {@code step-<t>} atomically (temporary directory, then rename), then prunes old ones. */
    static void save(RunLayout run, int step, double wallTime, Model model, OptimizerState optimizer,
                     Map<String, JsonNode> listenerState) {
        Path root = run.checkpoints();
        Path target = run.checkpoint(step);
        Path tmp = root.resolve(".tmp-" + target.getFileName());
        try {
            Files.createDirectories(root);
            deleteTree(tmp);
            Files.createDirectories(tmp);
            model.setProperty("Epoch", "0");
            model.save(tmp, RunLayout.CHECKPOINT_MODEL);
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                    Files.newOutputStream(tmp.resolve(RunLayout.CHECKPOINT_OPTIMIZER))))) {
                optimizer.write(out);
            }
            ObjectNode state = Json.MAPPER.createObjectNode();
            state.put(RunKeys.STATE_STEP, step);
            state.put(RunKeys.STATE_WALL_TIME, wallTime);
            ObjectNode listeners = state.putObject(RunKeys.STATE_LISTENERS);
            listenerState.forEach(listeners::set);
            Json.write(tmp.resolve(RunLayout.CHECKPOINT_STATE), state);
            deleteTree(target);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            for (Path old : list(root)) {
                int s = stepOf(old);
                if (s != 0 && s != step) {
                    deleteTree(old);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + target, e);
        }
    }

    /** The newest checkpoint directory, or null if there is none. */
    static Path latest(Path root) {
        List<Path> all = list(root);
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    static Path initial(Path root) {
        return root.resolve(RunLayout.CHECKPOINT_PREFIX + 0);
    }

    /**
     * Reads a checkpoint; its parameters go into a new model around {@code block} (the run's model, not
     * yet initialised).
     */
    static Loaded load(Path dir, Supplier<Block> block) throws IOException {
        JsonNode state = Json.MAPPER.readTree(dir.resolve(RunLayout.CHECKPOINT_STATE).toFile());
        Model model = Model.newInstance("checkpoint", Device.cpu());
        model.setBlock(block.get());
        try {
            model.load(dir, RunLayout.CHECKPOINT_MODEL);
        } catch (MalformedModelException | IOException e) {
            model.close();
            throw new IOException("malformed parameter file in " + dir + ": " + e.getMessage(), e);
        }
        return new Loaded(dir, state.get(RunKeys.STATE_STEP).asInt(), state.get(RunKeys.STATE_WALL_TIME).asDouble(), model,
                state.path(RunKeys.STATE_LISTENERS));
    }

    /** Checkpoint directories sorted by step. */
    static List<Path> list(Path root) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(p -> p.getFileName().toString().matches(RunLayout.CHECKPOINT_PREFIX + "\\d+")
                            && Files.isRegularFile(p.resolve(RunLayout.CHECKPOINT_STATE)))
                    .sorted(Comparator.comparingInt(Checkpoints::stepOf))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The step of a checkpoint directory {@code step-<t>}. */
    static int stepOf(Path p) {
        return Integer.parseInt(p.getFileName().toString().substring(RunLayout.CHECKPOINT_PREFIX.length()));
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
