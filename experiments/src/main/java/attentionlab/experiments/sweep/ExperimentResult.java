package attentionlab.experiments.sweep;

import attentionlab.experiments.layout.RunStatus;
import attentionlab.experiments.train.RunResult;
import java.nio.file.Path;
import java.util.List;

/**
 * The outcome of {@code lab run} or {@code lab resume EXPERIMENT_DIR}.
 *
 * @param runs one result per run that was trained or found completed, in the manifest's order
 * @param notes one line per point that did not end completed in this call and why (not started, not
 *     retried, trained by another process, cannot be resumed)
 */
public record ExperimentResult(Path experimentDir, List<RunResult> runs, List<String> notes) {

    public ExperimentResult {
        runs = List.copyOf(runs);
        notes = List.copyOf(notes);
    }

    public ExperimentResult(Path experimentDir, List<RunResult> runs) {
        this(experimentDir, runs, List.of());
    }

    /** Whether every point of the experiment has a completed run. */
    public boolean allCompleted() {
        return notes.isEmpty() && runs.stream().allMatch(r -> r.status() == RunStatus.COMPLETED);
    }
}
