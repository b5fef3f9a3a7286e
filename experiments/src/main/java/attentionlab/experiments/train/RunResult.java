package attentionlab.experiments.train;

import java.nio.file.Path;

/** One run's directory, variant, seed and final status (see {@link RunStatus}). */
public record RunResult(Path runDir, String variant, long seed, String status) {}
