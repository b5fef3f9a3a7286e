package attentionlab.experiments.sweep;

import attentionlab.experiments.config.ConfigLoader;
import attentionlab.experiments.config.ExperimentConfig;
import attentionlab.experiments.core.UserError;
import attentionlab.experiments.io.Json;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An experiment directory's {@code manifest.json}: every run the experiment asked for (its points),
 * whether or not it has started, with its resolved config, so that {@code lab resume EXPERIMENT_DIR}
 * can start the runs that never began and {@code lab sweep status} can list them. Written when the
 * experiment directory is created, before any run; each point's {@code status} is then updated by the
 * process that trains it ({@code pending} until then), under the manifest's lock. The run directories'
 * meta.json stay the record of each run; the status here is what the last process that touched the point saw.
 *
 * @param config the config file as given (absolute path)
 * @param command the command line that created the experiment
 * @param grid key path -> values (empty without a grid)
 * @param points in planning order: variants, grid points, seeds
 */
@JsonPropertyOrder({"experiment", "config", "command", "created", "grid", "points"})
public record Manifest(
        @JsonProperty("experiment") String experiment,
        @JsonProperty("config") String config,
        @JsonProperty("command") String command,
        @JsonProperty("created") String created,
        @JsonProperty("grid") Map<String, List<JsonNode>> grid,
        @JsonProperty("points") List<Point> points) {

    public static final String FILE = "manifest.json";
    /** A point's status before any process has started it. */
    public static final String PENDING = "pending";

    /**
     * One run of the experiment.
     *
     * @param index its position (a Slurm array task's index)
     * @param run the run directory's name under the experiment directory, {@code <variant>-s<seed>}
     * @param grid its grid values (empty without a grid)
     * @param status {@code pending} or a run status ({@code running}, {@code completed}, ...)
     * @param config its resolved config (what config.yaml holds once the run starts)
     */
    @JsonPropertyOrder({"index", "run", "variant", "seed", "grid", "status", "config"})
    public record Point(
            @JsonProperty("index") int index,
            @JsonProperty("run") String run,
            @JsonProperty("variant") String variant,
            @JsonProperty("seed") long seed,
            @JsonProperty("grid") Map<String, JsonNode> grid,
            @JsonProperty("status") String status,
            @JsonProperty("config") JsonNode config) {

        Point withStatus(String newStatus) {
            return new Point(index, run, variant, seed, grid, newStatus, config);
        }
    }

    /** Writes the manifest of a planned experiment into its (new) directory, every point pending. */
    static Manifest create(Path experimentDir, ConfigLoader.Plan plan, Path configFile, String command) {
        List<Point> points = new ArrayList<>();
        for (ConfigLoader.RunSpec spec : plan.runs()) {
            points.add(new Point(points.size(), spec.name(), spec.variant(), spec.seed(), spec.grid(), PENDING,
                    ConfigLoader.toTree(spec.config())));
        }
        Manifest manifest = new Manifest(plan.experiment(), configFile.toAbsolutePath().normalize().toString(), command,
                Instant.now().toString(), plan.grid(), List.copyOf(points));
        Json.write(experimentDir.resolve(FILE), manifest);
        return manifest;
    }

    /** Whether {@code dir} is an experiment directory with a manifest. */
    public static boolean isExperimentDir(Path dir) {
        return Files.isRegularFile(dir.resolve(FILE));
    }

    /**
     * @throws UserError if {@code experimentDir} has no readable manifest
     */
    public static Manifest read(Path experimentDir) {
        Path file = experimentDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new UserError(experimentDir + ": not an experiment directory (no " + FILE + "; experiments made before"
                    + " manifests existed are resumed run by run: lab resume " + experimentDir + "/<run>)");
        }
        try {
            return Json.MAPPER.readValue(file.toFile(), Manifest.class);
        } catch (IOException e) {
            throw new UserError(file + ": not a readable manifest: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /**
     * A point by run name or by index.
     *
     * @throws UserError listing the points if there is no such point
     */
    public Point point(String nameOrIndex) {
        for (Point p : points) {
            if (p.run().equals(nameOrIndex) || Integer.toString(p.index()).equals(nameOrIndex)) {
                return p;
            }
        }
        List<String> names = points.stream().map(Point::run).toList();
        throw new UserError("--point " + nameOrIndex + ": no such point; the experiment's points are 0 to "
                + (points.size() - 1) + ": " + String.join(", ", names.subList(0, Math.min(8, names.size())))
                + (names.size() > 8 ? ", ..." : ""));
    }

    /** The point's resolved config, validated as any config. */
    ExperimentConfig config(Point point, Path experimentDir) {
        return ConfigLoader.loadRun(point.config(), experimentDir, experimentDir.resolve(FILE) + " point " + point.run());
    }

    /** Records a point's status (under the manifest's lock, so processes finishing together lose no update). */
    static synchronized void updateStatus(Path experimentDir, String run, String status) {
        try (PointLocks.Held lock = PointLocks.manifest(experimentDir)) {
            Manifest m = read(experimentDir);
            List<Point> points = m.points().stream().map(p -> p.run().equals(run) ? p.withStatus(status) : p).toList();
            Json.write(experimentDir.resolve(FILE), new Manifest(m.experiment(), m.config(), m.command(), m.created(), m.grid(), points));
        }
    }
}
