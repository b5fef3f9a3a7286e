package attentionlab.experiments.train;

import attentionlab.experiments.layout.RunStatus;
import java.nio.file.Path;

/** One run's directory, variant, seed and final status. */
public record RunResult(Path runDir, String variant, long seed, RunStatus status) {}
