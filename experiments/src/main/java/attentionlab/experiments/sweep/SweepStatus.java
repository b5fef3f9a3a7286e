package attentionlab.experiments.sweep;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code lab sweep status DIR}: where every point of an experiment stands ({@link PointState}), from its
 * run directories, its locks, and Slurm's queue when the experiment was submitted there.
 *
 * @param rows one per point, in the manifest's order
 * @param jobs the Slurm array job ids (empty when not submitted to Slurm)
 */
public record SweepStatus(Path experimentDir, Manifest manifest, List<PointStates.Row> rows, List<String> jobs) {

    public static SweepStatus of(Path experimentDir) {
        Manifest manifest = Manifest.read(experimentDir);
        return new SweepStatus(experimentDir, manifest, PointStates.of(experimentDir, manifest, SlurmQueue.states(experimentDir),
                PointLocks.isExperimentHeld(experimentDir)), Slurm.jobs(experimentDir));
    }

    /** How many points are in each state. */
    public Map<PointState, Integer> counts() {
        Map<PointState, Integer> counts = new EnumMap<>(PointState.class);
        rows.forEach(r -> counts.merge(r.state(), 1, Integer::sum));
        return counts;
    }

    /** Whether every point is done. */
    public boolean allDone() {
        return rows.stream().allMatch(r -> r.state() == PointState.DONE);
    }

    /** The table: one line per point, then a summary line ({@code 4 points: 3 done, 1 running}). */
    public String table() {
        int width = Math.max(5, rows.stream().mapToInt(r -> r.point().run().length()).max().orElse(5));
        String format = "%4s  %-" + width + "s  %-11s  %-11s  %6s  %s%n";
        StringBuilder b = new StringBuilder();
        b.append("experiment ").append(manifest.experiment()).append(": ").append(experimentDir)
                .append(jobs.isEmpty() ? "" : " (Slurm job" + (jobs.size() > 1 ? "s " : " ") + String.join(", ", jobs) + ")")
                .append('\n');
        b.append(String.format(Locale.ROOT, format, "#", "point", "state", "run", "steps", jobs.isEmpty() ? "" : "slurm")
                .stripTrailing()).append('\n');
        for (PointStates.Row r : rows) {
            b.append(String.format(Locale.ROOT, format, r.point().index(), r.point().run(), r.state(),
                    r.run() == null ? "-" : r.run().label(), r.run() == null ? "-" : Integer.toString(r.steps()),
                    jobs.isEmpty() ? "" : r.queue() == null ? "-" : r.queue()).stripTrailing()).append('\n');
        }
        b.append(summary());
        if (!jobs.isEmpty()) {
            b.append("\ntask output: ").append(experimentDir.resolve(Slurm.DIR)).append("/<job>_<index>.out");
        }
        if (rows.stream().anyMatch(r -> PointState.RESUMABLE.contains(r.state()))) {
            b.append('\n').append(jobs.isEmpty() ? "continue with: lab resume " + experimentDir
                    : "resubmit what did not complete with: lab sweep submit --resume " + experimentDir);
        }
        return b.toString();
    }

    /** {@code 4 points: 3 done, 1 running}. */
    public String summary() {
        return rows.size() + " points: " + counts().entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
                .collect(Collectors.joining(", "));
    }
}
