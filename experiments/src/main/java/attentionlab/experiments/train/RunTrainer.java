package attentionlab.experiments.train;

import attentionlab.experiments.config.ConfigDiff;
import attentionlab.experiments.config.ConfigLoader;
import attentionlab.experiments.config.ExperimentConfig;
import attentionlab.experiments.config.MemoryEstimate;
import attentionlab.experiments.core.UserError;
import attentionlab.experiments.io.AtomicFiles;
import attentionlab.experiments.layout.RunLayout;
import attentionlab.experiments.layout.RunStatus;
import attentionlab.experiments.tasks.Tasks;
import attentionlab.experiments.train.listeners.AttentionSnapshotListener;
import attentionlab.experiments.train.listeners.CheckpointListener;
import attentionlab.experiments.train.listeners.GradientNormListener;
import attentionlab.experiments.train.listeners.MetricsCsvWriter;
import attentionlab.experiments.train.listeners.ProgressListener;
import attentionlab.experiments.train.listeners.SummaryListener;
import attentionlab.experiments.train.listeners.TrainMetricsListener;
import attentionlab.experiments.train.listeners.ValidationListener;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Trains one run directory, fresh or from its last checkpoint, and records how it ended: meta.json
 * status (completed, diverged, failed, interrupted) with a one-line reason, summary.json, log.txt.
 * A run that cannot start or breaks (a full disk included) is recorded as {@code failed}; it never
 * throws for that. The run directory is locked while it is written ({@link RunDirectory}).
 *
 * <p>A resume checks everything before it writes anything: the lock, the config, the memory estimate,
 * the checkpoint's checksums and config hash, the model and the restored state. Bad input there (a run
 * directory that cannot be resumed) is a {@link UserError}, and the run's record is left as it was.
 */
public final class RunTrainer {

    /** The key a resume may change without --allow-config-change: it says where training stops. */
    private static final Set<String> STEPS = Set.of("train.steps");

    private RunTrainer() {}

    /** How a run ended: its status and, unless it completed, why. */
    private record Outcome(RunStatus status, String reason) {}

    /** Trains a new run in {@code path} (which must not exist). */
    public static RunResult trainNew(Path path, ExperimentConfig config, String command, PrintStream progress, BooleanSupplier stop) {
        String label = path.getFileName().toString();
        RunDirectory dir;
        try {
            dir = RunDirectory.create(path, config, command);
        } catch (UncheckedIOException e) {
            report(progress, label, new Outcome(RunStatus.FAILED, oneLine(e)));
            return new RunResult(path, config.variant(), config.train().seeds().get(0), RunStatus.FAILED);
        }
        try (dir) {
            TrainingSession session;
            try {
                session = new TrainingSession(dir, config);
                session.startFromInitWeights(); // train.init_weights, checked before anything was created
            } catch (RuntimeException | OutOfMemoryError e) {
                return record(dir, config, progress, new Outcome(RunStatus.FAILED, "cannot build the model: " + oneLine(e)), 0);
            }
            try (session) {
                return train(session, Listeners.standard(session, progress, label), progress, stop);
            }
        }
    }

    /** {@link #resume(Path, Integer, boolean, PrintStream, BooleanSupplier)} with the config unchanged. */
    public static RunResult resume(Path runDir, Integer steps, PrintStream progress, BooleanSupplier stop) {
        return resume(runDir, steps, false, progress, stop);
    }

    /**
     * Continues the run in {@code runDir} from its newest checkpoint to {@code train.steps} (or to
     * {@code steps} if given, which extends a finished run), stopping (status interrupted) when {@code stop}
     * turns true.
     *
     * @param allowConfigChange continue although config.yaml differs from the checkpoint's config (the
     *     change is recorded in meta.json); otherwise such a difference is refused
     * @throws UserError if {@code runDir} cannot be resumed (no run, locked by another process, no or a
     *     damaged checkpoint, a changed config, nothing left to train, bad data); nothing is written then
     */
    public static RunResult resume(Path runDir, Integer steps, boolean allowConfigChange, PrintStream progress,
                                   BooleanSupplier stop) {
        RunLayout layout = new RunLayout(runDir);
        if (!Files.isRegularFile(layout.config()) || !Files.isRegularFile(layout.meta())) {
            throw new UserError(runDir + ": not a run directory (expected " + RunLayout.CONFIG + " and " + RunLayout.META + ")");
        }
        try (RunDirectory dir = RunDirectory.open(runDir)) {
            RunStatus recorded = dir.status();
            RunStatus status = recorded == RunStatus.RUNNING ? RunStatus.STOPPED : recorded; // we hold its lock: nobody runs it
            Path latest = Checkpoints.latest(layout.checkpoints());
            if (latest == null) {
                throw new UserError(runDir + ": no checkpoint to resume from (" + RunLayout.CHECKPOINTS + "/ is empty)");
            }
            Checkpoints.verify(latest);
            Checkpoints.verify(Checkpoints.initial(layout.checkpoints()));
            int checkpointStep = Checkpoints.stepOf(latest);
            ExperimentConfig config = ConfigLoader.loadRun(layout.config());
            List<String> changes = configChanges(layout, latest, config, allowConfigChange);
            if (steps != null) {
                if (steps <= checkpointStep) {
                    throw new UserError("--steps: " + steps + " is invalid; must be > the checkpoint's step " + checkpointStep);
                }
                config = config.withSteps(steps);
            } else if (checkpointStep >= config.train().steps()) {
                throw new UserError(runDir + ": run already completed " + checkpointStep + " steps (status " + status
                        + "); use --steps N to train it further");
            }
            MemoryEstimate.check(config, Tasks.create(config.task()).size()); // a sequence-file task's data must still be readable
            return continueRun(dir, new Resumption(config, steps != null, latest, status, changes), progress, stop);
        }
    }

    /**
     * A checked resume.
     *
     * @param newSteps whether config.yaml gets new train.steps (--steps)
     * @param status the run's status before, as a reader reports it
     * @param changes the config changes allowed since the checkpoint
     */
    private record Resumption(ExperimentConfig config, boolean newSteps, Path checkpoint, RunStatus status, List<String> changes) {}

    /**
     * Builds the session and restores the checkpoint (still writing nothing: a failure is bad input), then
     * records the resume (config.yaml for --steps, allowed config changes, log) and trains.
     */
    private static RunResult continueRun(RunDirectory dir, Resumption r, PrintStream progress, BooleanSupplier stop) {
        TrainingSession session;
        try {
            session = new TrainingSession(dir, r.config());
        } catch (RuntimeException | OutOfMemoryError e) {
            throw new UserError(dir.path() + ": cannot resume: cannot build the model: " + oneLine(e));
        }
        try (session) {
            String label = dir.path().getFileName().toString();
            Listeners listeners = Listeners.standard(session, progress, label);
            listeners.restore(session.restoreLatest());
            if (r.newSteps()) {
                dir.writeConfig(r.config());
            }
            if (!r.changes().isEmpty()) {
                dir.recordConfigChange(session.stepsCompleted(), r.changes(), "lab resume --allow-config-change");
            }
            dir.log("resume from " + r.checkpoint().getFileName() + " (status was " + r.status() + ")"
                    + (r.changes().isEmpty() ? "" : "; config changed: " + String.join(", ", r.changes())));
            return train(session, listeners, progress, stop);
        }
    }

    /**
     * The differences between config.yaml and the config the checkpoint was trained with (train.steps
     * aside), allowed only on request.
     *
     * @throws UserError naming config.yaml, the changed keys and the flag, when not allowed
     */
    private static List<String> configChanges(RunLayout layout, Path checkpoint, ExperimentConfig config, boolean allowed) {
        try {
            if (Checkpoints.configHashOf(checkpoint).equals(Checkpoints.configHash(config))) {
                return List.of();
            }
        } catch (IOException e) {
            throw new UserError("cannot read checkpoint " + checkpoint + ": " + AtomicFiles.reason(e));
        }
        ExperimentConfig trained = ConfigLoader.loadRun(checkpoint.resolve(RunLayout.CHECKPOINT_CONFIG));
        List<String> changes = ConfigDiff.changes(trained, config, STEPS);
        if (!allowed) {
            throw new UserError(layout.config() + ": differs from the config checkpoint " + checkpoint.getFileName()
                    + " was trained with (" + String.join(", ", changes) + "); allowed: the same config, or resume with"
                    + " --allow-config-change to continue with this one (recorded in meta.json)");
        }
        return changes;
    }

    private static RunResult train(TrainingSession session, Listeners listeners, PrintStream progress, BooleanSupplier stop) {
        Outcome outcome = run(session, listeners.all(), stop);
        return record(session.dir(), session.config(), progress, outcome, session.stepsCompleted());
    }

    /**
     * Starts the listeners, validates the untrained model (a run at step 0, fresh or resumed from step-0),
     * trains, and ends the listeners; any failure on the way ends the run as diverged or failed, with the reason.
     */
    private static Outcome run(TrainingSession session, List<StepListener> listeners, BooleanSupplier stop) {
        Outcome outcome;
        try {
            EngineThreads.prepareForTraining();
            session.dir().updateMeta(RunStatus.RUNNING, null, session.stepsCompleted(), session.parameterCount(), false);
            listeners.forEach(l -> l.onStart(session));
            if (session.stepsCompleted() == 0) {
                StepContext initial = new StepContext(session, 0, Double.NaN, Double.NaN, 0, null);
                listeners.forEach(l -> l.afterStep(initial));
            }
            RunStatus status = TrainingLoop.run(session, listeners, stop);
            outcome = new Outcome(status, status == RunStatus.INTERRUPTED ? "interrupted at step " + session.stepsCompleted()
                    + "; continue with: lab resume " + session.dir().path() : null);
        } catch (DivergedException e) {
            outcome = new Outcome(RunStatus.DIVERGED, e.getMessage());
        } catch (RuntimeException | OutOfMemoryError e) {
            outcome = new Outcome(RunStatus.FAILED, oneLine(e));
        }
        try {
            RunStatus status = outcome.status();
            listeners.forEach(l -> l.onEnd(session, status));
            session.dir().updateMeta(status, outcome.reason(), session.stepsCompleted(), session.parameterCount(), true);
            return outcome;
        } catch (RuntimeException e) {
            return new Outcome(RunStatus.FAILED, outcome.reason() == null ? oneLine(e) : outcome.reason() + "; then " + oneLine(e));
        }
    }

    /**
     * Writes a failed outcome to meta.json (the others are there already) and reports a non-completed one.
     * Never throws: when even meta.json cannot be written (a full disk), the reason says so.
     */
    private static RunResult record(RunDirectory dir, ExperimentConfig config, PrintStream progress, Outcome outcome,
                                    int steps) {
        Outcome reported = outcome;
        if (outcome.status() == RunStatus.FAILED) {
            try {
                dir.updateMeta(RunStatus.FAILED, outcome.reason(), steps, null, true);
            } catch (RuntimeException e) {
                reported = new Outcome(RunStatus.FAILED, outcome.reason() + "; and the status could not be recorded: " + oneLine(e));
            }
        }
        if (reported.reason() != null) {
            try {
                dir.log(reported.status() + ": " + reported.reason());
            } catch (RuntimeException ignored) {
                // reported below; log.txt is not the record of the status
            }
            report(progress, dir.path().getFileName().toString(), reported);
        }
        return new RunResult(dir.path(), config.variant(), config.train().seeds().get(0), reported.status());
    }

    private static void report(PrintStream progress, String label, Outcome outcome) {
        if (progress != null) {
            progress.println(label + ": " + outcome.status() + ": " + outcome.reason());
        }
    }

    /** The standard listeners of a run, in order; the stateful ones are checkpointed and restored. */
    private record Listeners(List<StepListener> all, List<StatefulListener> stateful) {

        static Listeners standard(TrainingSession session, PrintStream progress, String label) {
            SummaryListener summary = new SummaryListener();
            TrainMetricsListener trainMetrics = new TrainMetricsListener();
            List<StatefulListener> stateful = List.of(trainMetrics, summary);
            List<StepListener> all = List.of(trainMetrics, new GradientNormListener(), new ValidationListener(), summary,
                    new MetricsCsvWriter(), new ProgressListener(progress, label),
                    new AttentionSnapshotListener(), // before the checkpoint: a checkpointed step has its snapshot
                    new CheckpointListener(s -> {
                        s.saveCheckpoint(states(stateful));
                        s.dir().recordSteps(s.stepsCompleted());
                    }));
            return new Listeners(all, stateful);
        }

        /** Gives each stateful listener its part of a checkpoint's listener state. */
        void restore(JsonNode state) {
            for (StatefulListener l : stateful) {
                JsonNode own = state.get(l.stateKey());
                if (own != null) {
                    l.restoreState(own);
                }
            }
        }

        private static Map<String, JsonNode> states(List<StatefulListener> listeners) {
            Map<String, JsonNode> states = new LinkedHashMap<>();
            listeners.forEach(l -> states.put(l.stateKey(), l.saveState()));
            return states;
        }
    }

    /** The first line of the exception's message (or of its cause's, when it has none), with an I/O failure's reason. */
    static String oneLine(Throwable e) {
        Throwable t = e;
        while (t.getMessage() == null && t.getCause() != null) {
            t = t.getCause();
        }
        String message = AtomicFiles.describe(t);
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
