package attentionlab.experiments.train;

import attentionlab.experiments.config.ConfigLoader;
import attentionlab.experiments.config.ExperimentConfig;
import attentionlab.experiments.core.UserError;
import attentionlab.experiments.layout.RunLayout;
import attentionlab.experiments.layout.RunStatus;
import attentionlab.experiments.tasks.Tasks;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Trains one run directory, fresh or from its last checkpoint, and records how it ended: meta.json
 * status (completed, diverged, failed, interrupted) with a one-line reason, summary.json, log.txt.
 * A run that cannot start or breaks is recorded as {@code failed}; it never throws for that. Bad
 * input (a run directory that cannot be resumed) is a {@link UserError}, and nothing is recorded.
 */
public final class RunTrainer {

    private RunTrainer() {}

    /** How a run ended: its status and, unless it completed, why. */
    private record Outcome(RunStatus status, String reason) {}

    /** Trains a new run in {@code path} (which must not exist). */
    public static RunResult trainNew(Path path, ExperimentConfig config, String command, PrintStream progress, BooleanSupplier stop) {
        RunDirectory dir = RunDirectory.create(path, config, command);
        return train(dir, config, false, progress, stop);
    }

    /**
     * Continues the run in {@code runDir} from its newest checkpoint to {@code train.steps} (or to
     * {@code steps} if given, which extends a finished run), stopping (status interrupted) when {@code stop}
     * turns true.
     *
     * @throws UserError if {@code runDir} cannot be resumed (no run, no checkpoint, nothing left to train, bad data)
     */
    public static RunResult resume(Path runDir, Integer steps, PrintStream progress, BooleanSupplier stop) {
        RunDirectory dir = new RunDirectory(runDir);
        if (!Files.isRegularFile(dir.layout().config()) || !Files.isRegularFile(dir.layout().meta())) {
            throw new UserError(runDir + ": not a run directory (expected " + RunLayout.CONFIG + " and " + RunLayout.META + ")");
        }
        ExperimentConfig config = ConfigLoader.loadRun(dir.layout().config());
        Tasks.create(config.task()); // a sequence-file task's data must still be readable
        RunStatus status = dir.status();
        Path latest = Checkpoints.latest(dir.layout().checkpoints());
        if (latest == null) {
            throw new UserError(runDir + ": no checkpoint to resume from (" + RunLayout.CHECKPOINTS + "/ is empty)");
        }
        int checkpointStep = Checkpoints.stepOf(latest);
        if (steps != null) {
            if (steps <= checkpointStep) {
                throw new UserError("--steps: " + steps + " is invalid; must be > the checkpoint's step " + checkpointStep);
            }
            config = config.withSteps(steps);
            try {
                Files.writeString(dir.layout().config(), ConfigLoader.toYaml(config));
            } catch (IOException e) {
                throw new UserError("cannot update " + dir.layout().config() + ": " + e.getMessage());
            }
        } else if (status == RunStatus.COMPLETED && checkpointStep >= config.train().steps()) {
            throw new UserError(runDir + ": run already completed " + checkpointStep
                    + " steps; use --steps N to train it further");
        }
        dir.log("resume from " + latest.getFileName() + " (status was " + status + ")");
        return train(dir, config, true, progress, stop);
    }

    private static RunResult train(RunDirectory dir, ExperimentConfig config, boolean resume, PrintStream progress,
                                   BooleanSupplier stop) {
        String label = dir.path().getFileName().toString();
        TrainingSession session;
        try {
            session = new TrainingSession(dir, config);
        } catch (RuntimeException e) {
            return record(dir, config, label, progress, new Outcome(RunStatus.FAILED, "cannot build the model: " + oneLine(e)), 0);
        }
        try (session) {
            Listeners listeners = Listeners.standard(session, progress, label);
            if (resume) {
                listeners.restore(session.restoreLatest());
            }
            Outcome outcome = run(session, listeners.all(), resume, stop);
            return record(dir, config, label, progress, outcome, session.stepsCompleted());
        }
    }

    /**
     * Starts the listeners, validates the untrained model (fresh runs), trains, and ends the listeners;
     * any failure on the way ends the run as diverged or failed, with the reason.
     */
    private static Outcome run(TrainingSession session, List<StepListener> listeners, boolean resume, BooleanSupplier stop) {
        Outcome outcome;
        try {
            session.dir().updateMeta(RunStatus.RUNNING, null, session.stepsCompleted(), session.parameterCount(), false);
            if (!resume) {
                session.startFromInitWeights();
            }
            listeners.forEach(l -> l.onStart(session));
            if (!resume) {
                StepContext initial = new StepContext(session, 0, Double.NaN, Double.NaN, 0, null);
                listeners.forEach(l -> l.afterStep(initial));
            }
            RunStatus status = TrainingLoop.run(session, listeners, stop);
            outcome = new Outcome(status, status == RunStatus.INTERRUPTED ? "interrupted at step " + session.stepsCompleted()
                    + "; continue with: lab resume " + session.dir().path() : null);
        } catch (DivergedException e) {
            outcome = new Outcome(RunStatus.DIVERGED, e.getMessage());
        } catch (RuntimeException e) {
            outcome = new Outcome(RunStatus.FAILED, oneLine(e));
        }
        try {
            RunStatus status = outcome.status();
            listeners.forEach(l -> l.onEnd(session, status));
            session.dir().updateMeta(status, outcome.reason(), session.stepsCompleted(), session.parameterCount(), true);
            return outcome;
        } catch (RuntimeException e) {
            return new Outcome(RunStatus.FAILED, oneLine(e));
        }
    }

    /** Writes a failed outcome to meta.json (the others are there already) and reports a non-completed one. */
    private static RunResult record(RunDirectory dir, ExperimentConfig config, String label, PrintStream progress,
                                    Outcome outcome, int steps) {
        if (outcome.status() == RunStatus.FAILED) {
            dir.updateMeta(RunStatus.FAILED, outcome.reason(), steps, null, true);
        }
        if (outcome.reason() != null) {
            dir.log(outcome.status() + ": " + outcome.reason());
            if (progress != null) {
                progress.println(label + ": " + outcome.status() + ": " + outcome.reason());
            }
        }
        return new RunResult(dir.path(), config.variant(), config.train().seeds().get(0), outcome.status());
    }

    /** The standard listeners of a run, in order; the stateful ones are checkpointed and restored. */
    private record Listeners(List<StepListener> all, List<StatefulListener> stateful) {

        static Listeners standard(TrainingSession session, PrintStream progress, String label) {
            SummaryListener summary = new SummaryListener();
            TrainMetricsListener trainMetrics = new TrainMetricsListener();
            List<StatefulListener> stateful = List.of(trainMetrics, summary);
            // System.console() is non-null only when the process is attached to a terminal
            boolean terminal = (progress == System.err || progress == System.out) && System.console() != null;
            List<StepListener> all = List.of(trainMetrics, new GradientNormListener(), new ValidationListener(), summary,
                    new MetricsCsvWriter(), new ProgressListener(progress, terminal, label),
                    new CheckpointListener(s -> s.saveCheckpoint(states(stateful))));
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

    /** The first line of the exception's message (or of its cause's, when it has none). */
    static String oneLine(Throwable e) {
        Throwable t = e;
        while (t.getMessage() == null && t.getCause() != null) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
