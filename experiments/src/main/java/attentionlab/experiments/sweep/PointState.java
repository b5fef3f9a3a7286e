package attentionlab.experiments.sweep;

import attentionlab.experiments.layout.RunStatus;
import java.util.Set;

/**
 * Where a point of an experiment stands, from its run directory's status, whether a process holds its
 * lock ({@link PointLocks}), whether a live {@code lab run}/{@code resume} holds the experiment, and its
 * scheduler's state (Slurm, when the experiment was submitted there). The run's own record wins where
 * it is final (completed, failed, diverged); a live process or the queue says running or pending;
 * otherwise the point needs someone to start or continue it ({@link #RESUMABLE}).
 */
public enum PointState {
    /** The run completed. */
    DONE("done"),
    /** A process trains it now (its lock is held, or the scheduler runs its task). */
    RUNNING("running"),
    /** Waiting to start: queued by a live lab process or by the scheduler. */
    PENDING("pending"),
    /** The run failed (its reason is in meta.json); deterministic, so not retried unless asked. */
    FAILED("failed"),
    /** The run diverged; deterministic, so not retried unless asked. */
    DIVERGED("diverged"),
    /** Stopped on request (Ctrl-C, scancel, time limit) after a checkpoint. */
    INTERRUPTED("interrupted"),
    /** Its run says running but no process trains it: killed hard (SIGKILL, out of memory, node failure). */
    LOST("lost"),
    /** No run directory and nobody will start it: interrupted before it began, cancelled, or its task failed first. */
    NOT_STARTED("not started");

    /** The states {@code lab resume} and {@code sweep submit --resume} act on: start it or continue it. */
    public static final Set<PointState> RESUMABLE = Set.of(NOT_STARTED, INTERRUPTED, LOST);

    private final String label;

    PointState(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    @Override
    public String toString() {
        return label;
    }

    /**
     * @param run the run directory's status, or null when it has no run directory
     * @param locked whether a process holds the point's lock
     * @param queuedByLab whether a live lab process holds the experiment (and will start its points)
     * @param queue the scheduler's newest state of the point's task (e.g. PENDING, RUNNING, FAILED), or null
     */
    static PointState of(RunStatus run, boolean locked, boolean queuedByLab, String queue) {
        if (run == RunStatus.COMPLETED) {
            return DONE;
        }
        if (locked || "RUNNING".equals(queue) || "COMPLETING".equals(queue)) {
            return RUNNING;
        }
        if (run == RunStatus.FAILED) {
            return FAILED;
        }
        if (run == RunStatus.DIVERGED) {
            return DIVERGED;
        }
        if (queue != null && Set.of("PENDING", "CONFIGURING", "REQUEUED", "RESIZING", "SUSPENDED").contains(queue)) {
            return PENDING;
        }
        if (run == RunStatus.INTERRUPTED) {
            return INTERRUPTED;
        }
        if (run != null) {
            return LOST; // running (or unreadable) with nobody training it
        }
        return queuedByLab ? PENDING : NOT_STARTED;
    }
}
