package attentionlab.experiments.train;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.nn.Block;
import attentionlab.experiments.config.ConfigLoader;
import attentionlab.experiments.config.ExperimentConfig;
import attentionlab.experiments.core.UserError;
import attentionlab.experiments.io.AtomicFiles;
import attentionlab.experiments.io.Format;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A run's {@code checkpoints/} directory, as files (it knows nothing of the session that uses it). Each
 * checkpoint is a directory {@code step-<t>} ({@link RunLayout}) with
 * <ul>
 *   <li>{@code model-0000.params}: the parameters, DJL's format ({@code Model.save})</li>
 *   <li>{@code optimizer.bin}: Adam's first and second moments per parameter</li>
 *   <li>{@code state.json}: step, wall time, the listeners' accumulated state (best metrics, max |g|),
 *       and {@code config_sha256}, the SHA-256 of the config it was trained with ({@link #configHash})</li>
 *   <li>{@code config.yaml}: that config, so that a changed key can be named</li>
 *   <li>{@code checksums.sha256}: the SHA-256 of each file above, {@code sha256sum} format, written last</li>
 * </ul>
 * {@code step-0} holds the initial weights and is kept; of the others only the newest is kept. With
 * these a resumed run continues exactly as the uninterrupted run would (same batches, same moments).
 * A checkpoint is written into a temporary directory and renamed, so a killed process leaves either the
 * whole checkpoint or none; {@link #verify} refuses one whose bytes changed afterwards.
 */
final class Checkpoints {

    static final String CONFIG_HASH = "config_sha256";

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

    /**
     * Writes checkpoint {@code step-<t>} atomically (temporary directory, then rename), then prunes old
     * ones. On failure the temporary directory is removed.
     *
     * @throws UncheckedIOException "cannot write checkpoint DIR: CAUSE"
     */
    static void save(RunLayout run, int step, double wallTime, Model model, OptimizerState optimizer,
                     Map<String, JsonNode> listenerState, ExperimentConfig config) {
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
            state.put(CONFIG_HASH, configHash(config));
            ObjectNode listeners = state.putObject(RunKeys.STATE_LISTENERS);
            listenerState.forEach(listeners::set);
            Files.write(tmp.resolve(RunLayout.CHECKPOINT_STATE), Json.bytes(state));
            Files.writeString(tmp.resolve(RunLayout.CHECKPOINT_CONFIG), ConfigLoader.toYaml(config), StandardCharsets.UTF_8);
            writeChecksums(tmp);
            deleteTree(target);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            for (Path old : list(root)) {
                int s = stepOf(old);
                if (s != 0 && s != step) {
                    deleteTree(old);
                }
            }
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw AtomicFiles.failure("write checkpoint", target, e);
        }
    }

    /**
     * The SHA-256 of a run's config with train.steps left out: the steps only say where training stops
     * ({@code resume --steps} changes them), every other key shapes the trajectory.
     */
    static String configHash(ExperimentConfig config) {
        return sha256(ConfigLoader.toYaml(config.withSteps(0)).getBytes(StandardCharsets.UTF_8));
    }

    /** Lists the SHA-256 of every file of a checkpoint directory in checksums.sha256. */
    private static void writeChecksums(Path dir) throws IOException {
        StringBuilder lines = new StringBuilder();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                lines.append(sha256(Files.readAllBytes(f))).append("  ").append(f.getFileName()).append('\n');
            }
        }
        Files.writeString(dir.resolve(RunLayout.CHECKPOINT_CHECKSUMS), lines, StandardCharsets.UTF_8);
    }

    /**
     * Checks that a checkpoint is whole and unchanged: its checksums file lists every file with the hash
     * of its bytes, and state.json names the step of its directory.
     *
     * @throws UserError naming the file that is missing, changed or contradicts the directory
     */
    static void verify(Path dir) {
        Path sums = dir.resolve(RunLayout.CHECKPOINT_CHECKSUMS);
        if (!Files.isRegularFile(sums)) {
            throw new UserError(sums + ": missing; the checkpoint is incomplete, damaged or from a version without"
                    + " checksums, so it cannot be trusted");
        }
        try {
            Set<String> listed = new HashSet<>();
            for (String line : Files.readAllLines(sums, StandardCharsets.UTF_8)) {
                String[] parts = line.split("  ", 2);
                Path file = dir.resolve(parts.length == 2 ? parts[1] : "?");
                if (parts.length != 2 || !file.getParent().equals(dir)) {
                    throw new UserError(sums + ": malformed line '" + Format.clip(line) + "'; expected '<sha256>  <file>'");
                }
                if (!Files.isRegularFile(file)) {
                    throw new UserError(file + ": missing from the checkpoint (listed in " + RunLayout.CHECKPOINT_CHECKSUMS + ")");
                }
                if (!sha256(Files.readAllBytes(file)).equals(parts[0])) {
                    throw new UserError(file + ": checksum mismatch: the file changed after the checkpoint was written"
                            + " (SHA-256 in " + RunLayout.CHECKPOINT_CHECKSUMS + "); it cannot be trusted");
                }
                listed.add(parts[1]);
            }
            for (String required : List.of(RunLayout.CHECKPOINT_MODEL + "-0000.params", RunLayout.CHECKPOINT_OPTIMIZER,
                    RunLayout.CHECKPOINT_STATE, RunLayout.CHECKPOINT_CONFIG)) {
                if (!listed.contains(required)) {
                    throw new UserError(sums + ": does not list " + required + "; the checkpoint cannot be trusted");
                }
            }
            int step = Json.MAPPER.readTree(dir.resolve(RunLayout.CHECKPOINT_STATE).toFile()).path(RunKeys.STATE_STEP).asInt(-1);
            if (step != stepOf(dir)) {
                throw new UserError(dir.resolve(RunLayout.CHECKPOINT_STATE) + ": step " + step + " contradicts its directory "
                        + dir.getFileName());
            }
        } catch (IOException e) {
            throw new UserError("cannot read checkpoint " + dir + ": " + AtomicFiles.reason(e));
        }
    }

    /** The config hash a checkpoint was trained with. */
    static String configHashOf(Path dir) throws IOException {
        return Json.MAPPER.readTree(dir.resolve(RunLayout.CHECKPOINT_STATE).toFile()).path(CONFIG_HASH).asText();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
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
        verify(dir);
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
            return s.filter(p -> p.getFileName().toString().matches(RunLayout.CHECKPOINT_PREFIX + "\\d+"))
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

    private static void deleteQuietly(Path p) {
        try {
            deleteTree(p);
        } catch (IOException | UncheckedIOException ignored) {
            // the failure that led here is the one to report
        }
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
