package attentionlab.experiments.claims;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * @param quick reduced sizes (same logic and tolerances)
 * @param only a claim or study id, or null for everything
 * @param out where the timestamped report directory is created (default runs/reproduce)
 * @param progress where per-claim progress is printed
 */
public record ReproduceOptions(boolean quick, String only, Path out, PrintStream progress) {}
