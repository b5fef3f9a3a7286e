package attentionlab.experiments.train;

import attentionlab.experiments.layout.RunStatus;
import java.nio.file.Path;
import java.util.List;

/** The outcome of {@code lab run}: the experiment directory and one result per variant x seed. */
public record ExperimentResult(Path experimentDir, List<RunResult> runs) {

    public ExperimentResult {
        runs = List.copyOf(runs);
    }

    /** Whether every run has status {@code completed}. */
    public boolean allCompleted() {
        return runs.stream().allMatch(r -> r.status() == RunStatus.COMPLETED);
    }
}
