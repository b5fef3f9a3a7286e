package attentionlab.experiments.claims;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * @param quick reduced sizes (same logic and tolerances)
 * @param only a claim or study id, or null for everything
 * @param out where the timestamped report directory is created (default runs/reproduce)
 * @param progress where per-claim progress is printed
 * @param jobs how many runs the claims' training trains at once, each in a worker JVM (1: in this JVM)
 */
public record ReproduceOptions(boolean quick, String only, Path out, PrintStream progress, int jobs) {

    public ReproduceOptions {
        if (jobs < 1) {
            throw new IllegalArgumentException("jobs must be >= 1, got " + jobs);
        }
    }

    /** One worker per core: the claims' small models each use a core well, not two. */
    public ReproduceOptions(boolean quick, String only, Path out, PrintStream progress) {
        this(quick, only, out, progress, Runtime.getRuntime().availableProcessors());
    }
}
