package attentionlab.experiments.compare;

import attentionlab.experiments.core.UserError;
import attentionlab.experiments.io.Json;
import attentionlab.experiments.layout.MetricColumns;
import attentionlab.experiments.layout.RunKeys;
import attentionlab.experiments.layout.RunLayout;
import attentionlab.experiments.layout.RunLock;
import attentionlab.experiments.layout.RunStatus;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One run directory as the plots see it: its identity (experiment, variant, seed, status), its
 * metrics.csv and, when the run finished, its summary.json.
 *
 * @param summary summary.json, or null when the run has none (still running, interrupted)
 * @param meta meta.json, or null when the run has none
 */
public record RunRecord(Path dir, String experiment, String variant, long seed, RunStatus status,
                        MetricsTable metrics, JsonNode summary, JsonNode meta) {

    /**
     * Reads a run directory. Identity comes from summary.json, then meta.json, then the directory
     * names ({@code <experiment>/<timestamp>/<variant>-s<seed>}).
     */
    public static RunRecord load(Path dir) {
        if (!RunLayout.isRunDir(dir)) {
            throw new UserError(dir + " is not a run directory (no " + RunLayout.METRICS + ")");
        }
        RunLayout layout = new RunLayout(dir);
        JsonNode summary = readJson(layout.summary());
        JsonNode meta = readJson(layout.meta());
        RunLayout.Name name = RunLayout.parseName(dir);
        Path experimentDir = dir.toAbsolutePath().normalize().getParent();
        Path experimentName = experimentDir == null || experimentDir.getParent() == null
                ? null : experimentDir.getParent().getFileName();
        String experiment = text(summary, meta, RunKeys.EXPERIMENT,
                experimentName == null ? "experiment" : experimentName.toString());
        String variant = text(summary, meta, RunKeys.VARIANT, name != null ? name.variant() : dir.getFileName().toString());
        String seedText = text(summary, meta, RunKeys.SEED, name != null ? name.seed() : "0");
        long seed;
        try {
            seed = Long.parseLong(seedText);
        } catch (NumberFormatException e) {
            throw new UserError(dir + ": seed '" + seedText + "' is not an integer");
        }
        // meta.json is updated last; "running" with no process holding the run's lock is reported as stopped
        RunStatus status = RunLock.liveStatus(layout, RunStatus.of(text(meta, summary, RunKeys.STATUS, null)));
        return new RunRecord(dir, experiment, variant, seed, status, MetricsTable.read(layout.metrics()), summary, meta);
    }

    /** The experiment directory holding this run (its parent), absolute. */
    public Path experimentDir() {
        return dir.toAbsolutePath().normalize().getParent();
    }

    /** Whether the run stopped before its last step: diverged, failed, interrupted or stopped (killed). */
    public boolean endedEarly() {
        return status == RunStatus.DIVERGED || status == RunStatus.FAILED || status == RunStatus.INTERRUPTED
                || status == RunStatus.STOPPED;
    }

    /** Why the run did not complete (meta.json's reason), or null. */
    public String reason() {
        return meta != null && meta.hasNonNull(RunKeys.REASON) ? meta.get(RunKeys.REASON).asText() : null;
    }

    /** The last step metrics.csv logged, or NaN when it has no row. */
    public double lastStep() {
        Series steps = metrics.series(MetricColumns.STEP);
        return steps.isEmpty() ? Double.NaN : steps.steps()[steps.size() - 1];
    }

    /** A number from summary.json at {@code section.key} (e.g. final, val/accuracy), or NaN. */
    public double summaryValue(String section, String key) {
        if (summary == null) {
            return Double.NaN;
        }
        JsonNode v = section == null ? summary.get(key) : summary.path(section).get(key);
        return v != null && v.isNumber() ? v.asDouble() : Double.NaN;
    }

    private static String text(JsonNode first, JsonNode second, String key, String fallback) {
        for (JsonNode node : new JsonNode[] {first, second}) {
            if (node != null && node.hasNonNull(key)) {
                return node.get(key).asText();
            }
        }
        return fallback;
    }

    private static JsonNode readJson(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            return null; // a half-written file of a live run: fall back to names and the CSV
        }
    }
}
