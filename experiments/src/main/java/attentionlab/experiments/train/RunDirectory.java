package attentionlab.experiments.train;

import attentionlab.experiments.config.ConfigLoader;
import attentionlab.experiments.config.ExperimentConfig;
import attentionlab.experiments.io.Json;
import attentionlab.experiments.io.Provenance;
import attentionlab.experiments.layout.RunKeys;
import attentionlab.experiments.layout.RunLayout;
import attentionlab.experiments.layout.RunStatus;
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

/**
 * One run's directory as training writes it ({@link RunLayout} names the files): creates it with
 * config.yaml and meta.json, keeps meta.json's status current, appends to log.txt.
 */
public final class RunDirectory {

    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    private final RunLayout layout;

    public RunDirectory(Path path) {
        this.layout = new RunLayout(path);
    }

    public Path path() {
        return layout.dir();
    }

    /** Where each file of this run is. */
    public RunLayout layout() {
        return layout;
    }

    /** Creates the directory (it must not exist) with config.yaml and meta.json (status running). */
    static RunDirectory create(Path path, ExperimentConfig config, String command) {
        RunDirectory dir = new RunDirectory(path);
        try {
            Files.createDirectory(path);
            Files.writeString(dir.layout.config(), ConfigLoader.toYaml(config), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create run directory " + path, e);
        }
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
        Json.write(dir.layout.meta(), meta);
        return dir;
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
        Json.write(layout.meta(), meta);
    }

    /** Appends a time-stamped line to log.txt. */
    public void log(String line) {
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(layout.log(), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND))) {
            out.println(LOG_TIME.format(Instant.now()) + " " + line);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + layout.log(), e);
        }
    }
}
