package attentionlab.experiments.train;

import attentionlab.experiments.config.ConfigLoader;
import attentionlab.experiments.config.ExperimentConfig;
import attentionlab.experiments.io.Json;
import attentionlab.experiments.io.Provenance;
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
 * One run's directory ({@code <variant>-s<seed>/}): config.yaml, meta.json, metrics.csv,
 * summary.json, log.txt, checkpoints/. Knows the file names and writes meta.json and log.txt.
 */
public final class RunDirectory {

    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    private final Path path;

    public RunDirectory(Path path) {
        this.path = path;
    }

    public static String name(String variant, long seed) {
        return variant + "-s" + seed;
    }

    public Path path() {
        return path;
    }

    public Path config() {
        return path.resolve("config.yaml");
    }

    public Path meta() {
        return path.resolve("meta.json");
    }

    public Path metrics() {
        return path.resolve("metrics.csv");
    }

    public Path summary() {
        return path.resolve("summary.json");
    }

    public Path log() {
        return path.resolve("log.txt");
    }

    public Path checkpoints() {
        return path.resolve("checkpoints");
    }

    /** Creates the directory (it must not exist) with config.yaml and meta.json (status running). */
    static RunDirectory create(Path path, ExperimentConfig config, String command) {
        try {
            Files.createDirectory(path);
            Files.writeString(path.resolve("config.yaml"), ConfigLoader.toYaml(config), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create run directory " + path, e);
        }
        RunDirectory dir = new RunDirectory(path);
        ObjectNode meta = Json.MAPPER.createObjectNode();
        meta.put("experiment", config.experiment());
        meta.put("variant", config.variant());
        meta.put("seed", config.train().seeds().get(0));
        meta.setAll((ObjectNode) Json.MAPPER.valueToTree(Provenance.current()));
        meta.put("command", command);
        meta.put("start_time", Instant.now().toString());
        meta.putNull("end_time");
        meta.put("status", RunStatus.RUNNING);
        meta.put("steps_completed", 0);
        meta.putNull("parameter_count");
        Json.write(dir.meta(), meta);
        return dir;
    }

    /** Reads meta.json. */
    ObjectNode readMeta() {
        try {
            return (ObjectNode) Json.MAPPER.readTree(meta().toFile());
        } catch (IOException | ClassCastException e) {
            throw new UncheckedIOException("cannot read " + meta(), e instanceof IOException io ? io : new IOException(e));
        }
    }

    /** Updates meta.json's status fields ({@code reason} only when not completed). */
    void updateMeta(String status, String reason, int stepsCompleted, Long parameterCount, boolean ended) {
        ObjectNode meta = readMeta();
        meta.put("status", status);
        meta.put("steps_completed", stepsCompleted);
        if (parameterCount != null) {
            meta.put("parameter_count", parameterCount);
        }
        if (ended) {
            meta.put("end_time", Instant.now().toString());
        } else {
            meta.putNull("end_time");
        }
        if (reason != null) {
            meta.put("reason", reason);
        } else {
            meta.remove("reason");
        }
        Json.write(meta(), meta);
    }

    /** Appends a time-stamped line to log.txt. */
    public void log(String line) {
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(log(), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND))) {
            out.println(LOG_TIME.format(Instant.now()) + " " + line);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + log(), e);
        }
    }
}
