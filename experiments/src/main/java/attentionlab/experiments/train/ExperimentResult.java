package attentionlab.experiments.train;

import attentionlab.experiments.layout.RunStatus;
import java.nio.file.Path;
import java.util.List;

/**
 * The outcome of {@code lab run}: the experiment directory, one result per variant x seed that started,
 * and the runs ({@code <variant>-s<seed>}) that never started because a stop was requested.
 */
public record ExperimentResult(Path experimentDir, List<RunResult> runs, List<String> notStarted) {

    public ExperimentResult {
        runs = List.copyOf(runs);
        notStarted = List.copyOf(notStarted);
    }

    public ExperimentResult(Path experimentDir, List<RunResult> runs) {
        this(experimentDir, runs, List.of());
    }

    /** Whether every run started and has status {@code completed}. */
    public boolean allCompleted() {
        return notStarted.isEmpty() && runs.stream().allMatch(r -> r.status() == RunStatus.COMPLETED);
    }
}
