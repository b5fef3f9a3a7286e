package attentionlab.experiments.train;

/** The values of meta.json's {@code status}. */
public final class RunStatus {

    public static final String RUNNING = "running";
    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";
    public static final String DIVERGED = "diverged";
    public static final String INTERRUPTED = "interrupted";

    private RunStatus() {}
}
