package attentionlab.experiments.sweep;

import attentionlab.experiments.io.Json;
import attentionlab.experiments.layout.RunKeys;
import attentionlab.experiments.layout.RunLayout;
import attentionlab.experiments.layout.RunStatus;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads where every point of an experiment stands ({@link PointState}) from its files, locks and queue. */
final class PointStates {

    private PointStates() {}

    /**
     * One point's standing.
     *
     * @param run its run directory's status, or null when it has none
     * @param steps steps completed according to meta.json (0 without a run)
     * @param queue the scheduler's state of its task, or null
     */
    record Row(Manifest.Point point, RunStatus run, int steps, String queue, PointState state) {}

    /**
     * @param queue the scheduler's newest state per point index (empty when not submitted to a scheduler)
     * @param queuedByLab whether a live lab process will start the points that have no run yet
     */
    static List<Row> of(Path experimentDir, Manifest manifest, Map<Integer, String> queue, boolean queuedByLab) {
        List<Row> rows = new ArrayList<>();
        for (Manifest.Point p : manifest.points()) {
            Path runDir = experimentDir.resolve(p.run());
            RunStatus run = Files.isDirectory(runDir) ? runStatus(runDir) : null;
            int steps = run == null ? 0 : meta(runDir).path(RunKeys.STEPS_COMPLETED).asInt(0);
            String q = queue.get(p.index());
            rows.add(new Row(p, run, steps, q, PointState.of(run, PointLocks.isHeld(experimentDir, p.run()), queuedByLab, q)));
        }
        return rows;
    }

    /** The status a run directory's meta.json records ({@link RunStatus#UNKNOWN} if it has none or cannot be read). */
    static RunStatus runStatus(Path runDir) {
        return RunStatus.of(meta(runDir).path(RunKeys.STATUS).asText(null));
    }

    private static JsonNode meta(Path runDir) {
        Path file = new RunLayout(runDir).meta();
        try {
            return Files.isRegularFile(file) ? Json.MAPPER.readTree(file.toFile()) : Json.MAPPER.missingNode();
        } catch (java.io.IOException e) {
            return Json.MAPPER.missingNode();
        }
    }
}
