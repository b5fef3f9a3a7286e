package attentionlab.experiments.train;

import attentionlab.experiments.config.ConfigLoader;
import attentionlab.experiments.config.ExperimentConfig;
import attentionlab.experiments.io.AtomicFiles;
import attentionlab.experiments.io.Json;
import attentionlab.experiments.io.Provenance;
import attentionlab.experiments.layout.RunKeys;
import attentionlab.experiments.layout.RunLayout;
import attentionlab.experiments.layout.RunLock;
import attentionlab.experiments.layout.RunStatus;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * One run's directory as training writes it ({@link RunLayout} names the files): created with
 * config.yaml and meta.json, or opened to be resumed; either way locked ({@link RunLock}) until
 * closed, so that one process at a time writes it. Keeps meta.json's status and steps current and
 * appends to log.txt. meta.json is replaced atomically; when that fails (a full disk), it is
 * overwritten in place, so that the failure still reaches the record.
 */
public final class RunDirectory implements AutoCloseable {

    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    private final RunLayout layout;
    private final RunLock lock;

    private RunDirectory(RunLayout layout, RunLock lock) {
        this.layout = layout;
        this.lock = lock;
    }

    public Path path() {
        return layout.dir();
    }

    /** Where each file of this run is. */
    public RunLayout layout() {
        return layout;
    }

    /**
     * Creates the directory (it must not exist), locks it, and writes config.yaml and meta.json (status running).
     *
     * @throws UncheckedIOException "cannot write FILE: CAUSE" when the files cannot be written
     */
    static RunDirectory create(Path path, ExperimentConfig config, String command) {
        RunLayout layout = new RunLayout(path);
        try {
            Files.createDirectory(path);
        } catch (IOException e) {
            throw AtomicFiles.failure("create run directory", path, e);
        }
        RunDirectory dir = new RunDirectory(layout, RunLock.acquire(layout));
        try {
            dir.writeConfig(config);
            ObjectNode meta = Json.MAPPER.createObjectNode();
            meta.put(RunKeys.EXPERIMENT, config.experiment());
            meta.put(RunKeys.VARIANT, config.variant());
            meta.put(RunKeys.SEED, config.train().seeds().get(0));
            meta.setAll((ObjectNode) Json.MAPPER.valueToTree(Provenance.current()));
            meta.put(RunKeys.COMMAND, command);
            meta.put(RunKeys.START_TIME, Instant.now().toString());
            meta.putNull(RunKeys.END_TIME);
            meta.put(RunKeys.STATUS, RunStatus.RUNNING.label());
            meta.put(RunKeys.STEPS_COMPLETED, 0);
            meta.putNull(RunKeys.PARAMETER_COUNT);
            dir.writeMeta(meta);
            return dir;
        } catch (RuntimeException e) {
            dir.close();
            throw e;
        }
    }

    /**
     * Locks an existing run directory for writing.
     *
     * @throws attentionlab.experiments.core.UserError if another process (or thread) holds it
     */
    static RunDirectory open(Path path) {
        RunLayout layout = new RunLayout(path);
        return new RunDirectory(layout, RunLock.acquire(layout));
    }

    /** Replaces config.yaml atomically. */
    void writeConfig(ExperimentConfig config) {
        AtomicFiles.write(layout.config(), ConfigLoader.toYaml(config).getBytes(StandardCharsets.UTF_8));
    }

    /** Reads meta.json. */
    ObjectNode readMeta() {
        try {
            return (ObjectNode) Json.MAPPER.readTree(layout.meta().toFile());
        } catch (IOException | ClassCastException e) {
            throw new UncheckedIOException("cannot read " + layout.meta(), e instanceof IOException io ? io : new IOException(e));
        }
    }

    /** The status meta.json records. */
    RunStatus status() {
        return RunStatus.of(readMeta().path(RunKeys.STATUS).asText());
    }

    /** Updates meta.json's status fields ({@code reason} only when not completed). */
    void updateMeta(RunStatus status, String reason, int stepsCompleted, Long parameterCount, boolean ended) {
        ObjectNode meta = readMeta();
        meta.put(RunKeys.STATUS, status.label());
        meta.put(RunKeys.STEPS_COMPLETED, stepsCompleted);
        if (parameterCount != null) {
            meta.put(RunKeys.PARAMETER_COUNT, parameterCount);
        }
        if (ended) {
            meta.put(RunKeys.END_TIME, Instant.now().toString());
        } else {
            meta.putNull(RunKeys.END_TIME);
        }
        if (reason != null) {
            meta.put(RunKeys.REASON, reason);
        } else {
            meta.remove(RunKeys.REASON);
        }
        writeMeta(meta);
    }

    /** Records the steps of a checkpoint just written: a killed run's meta.json still says how far it got. */
    void recordSteps(int stepsCompleted) {
        ObjectNode meta = readMeta();
        meta.put(RunKeys.STEPS_COMPLETED, stepsCompleted);
        writeMeta(meta);
    }

    /** Appends to meta.json's config_changes: at which step which keys changed, and by which command. */
    void recordConfigChange(int step, List<String> changes, String command) {
        ObjectNode meta = readMeta();
        ArrayNode all = meta.get(RunKeys.CONFIG_CHANGES) instanceof ArrayNode a ? a : meta.putArray(RunKeys.CONFIG_CHANGES);
        ObjectNode change = all.addObject();
        change.put("step", step);
        change.put(RunKeys.COMMAND, command);
        change.put("time", Instant.now().toString());
        changes.forEach(change.putArray("changes")::add);
        writeMeta(meta);
    }

    private void writeMeta(ObjectNode meta) {
        byte[] bytes = Json.bytes(meta);
        try {
            AtomicFiles.write(layout.meta(), bytes);
        } catch (UncheckedIOException e) {
            try {
                AtomicFiles.overwrite(layout.meta(), bytes); // its own blocks are reused: works on a full disk
            } catch (UncheckedIOException again) {
                throw e;
            }
        }
    }

    /** Appends a time-stamped line to log.txt. */
    public void log(String line) {
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(layout.log(), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND))) {
            out.println(LOG_TIME.format(Instant.now()) + " " + line);
        } catch (IOException e) {
            throw AtomicFiles.failure("write", layout.log(), e);
        }
    }

    /** Releases the lock. */
    @Override
    public void close() {
        lock.close();
    }
}
