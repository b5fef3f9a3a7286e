package attentionlab.experiments.train;

import attentionlab.experiments.config.ConfigLoader;
import attentionlab.experiments.config.ExperimentConfig;
import attentionlab.experiments.core.UserError;
import attentionlab.experiments.layout.RunStatus;
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
 * A run that cannot start or breaks is recorded as {@code failed}; it never throws for that.
 */
public final class RunTrainer {

    private RunTrainer() {}

    /** Trains a new run in {@code path} (which must not exist). */
    static RunResult trainNew(Path path, ExperimentConfig config, String command, PrintStream progress, BooleanSupplier stop) {
        RunDirectory dir = RunDirectory.create(path, config, command);
        return train(dir, config, false, progress, stop);
    }

    /**
     * Continues the run in {@code runDir} from its newest checkpoint to {@code train.steps} (or to
     * {@code steps} if given, which extends a finished run), stopping (status interrupted) when {@code stop}
     * turns true.
     */
    public static RunResult resume(Path runDir, Integer steps, PrintStream progress, BooleanSupplier stop) {
        RunDirectory dir = new RunDirectory(runDir);
        if (!Files.isRegularFile(dir.layout().config()) || !Files.isRegularFile(dir.layout().meta())) {
            throw new UserError(runDir + ": not a run directory (expected config.yaml and meta.json)");
        }
        ExperimentConfig config = ConfigLoader.loadRun(dir.layout().config());
        RunStatus status = dir.status();
        Path latest = Checkpoints.latest(dir.layout().checkpoints());
        if (latest == null) {
            throw new UserError(runDir + ": no checkpoint to resume from (checkpoints/ is empty)");
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
        long seed = config.train().seeds().get(0);
        TrainingSession session;
        try {
            session = new TrainingSession(dir, config);
        } catch (RuntimeException e) {
            return fail(dir, config, label, progress, 0, "cannot build the model: " + oneLine(e));
        }
        RunStatus status;
        String reason = null;
        List<TrainingListener> listeners = null;
        try (session) {
            SummaryListener summary = new SummaryListener();
            TrainMetricsListener trainMetrics = new TrainMetricsListener();
            List<StatefulListener> stateful = List.of(trainMetrics, summary);
            // System.console() is non-null only when the process is attached to a terminal
            boolean terminal = (progress == System.err || progress == System.out) && System.console() != null;
            listeners = List.of(trainMetrics, new GradientNormListener(), new ValidationListener(), summary,
                    new MetricsCsvWriter(), new ProgressListener(progress, terminal, label),
                    new CheckpointListener(s -> Checkpoints.save(s, states(stateful))));
            if (resume) {
                restore(session, stateful);
            }
            dir.updateMeta(RunStatus.RUNNING, null, session.stepsCompleted(), session.parameterCount(), false);
            for (TrainingListener l : listeners) {
                l.onStart(session);
            }
            if (!resume) {
                StepContext initial = new StepContext(session, 0, Double.NaN, Double.NaN, 0, null);
                listeners.forEach(l -> l.afterStep(initial));
            }
            try {
                status = TrainingLoop.run(session, listeners, stop);
                if (status == RunStatus.INTERRUPTED) {
                    reason = "interrupted at step " + session.stepsCompleted() + "; continue with: lab resume " + dir.path();
                }
            } catch (DivergedException e) {
                status = RunStatus.DIVERGED;
                reason = e.getMessage();
            } catch (RuntimeException e) {
                status = RunStatus.FAILED;
                reason = oneLine(e);
            }
            for (TrainingListener l : listeners) {
                l.onEnd(session, status);
            }
            dir.updateMeta(status, reason, session.stepsCompleted(), session.parameterCount(), true);
            if (reason != null) {
                dir.log(status + ": " + reason);
                if (progress != null) {
                    progress.println(label + ": " + status + ": " + reason);
                }
            }
            return new RunResult(dir.path(), config.variant(), seed, status);
        } catch (UserError e) {
            throw e;
        } catch (RuntimeException e) {
            return fail(dir, config, label, progress, 0, oneLine(e));
        }
    }

    private static void restore(TrainingSession session, List<StatefulListener> stateful) {
        Path root = session.dir().layout().checkpoints();
        Path latest = Checkpoints.latest(root);
        try (Checkpoints.Loaded checkpoint = Checkpoints.load(latest, session.config(), session.task());
             Checkpoints.Loaded initial = Checkpoints.load(Checkpoints.initial(root), session.config(), session.task())) {
            session.restore(checkpoint, initial);
            for (StatefulListener l : stateful) {
                JsonNode state = checkpoint.state().get(l.stateKey());
                if (state != null) {
                    l.restoreState(state);
                }
            }
        } catch (IOException e) {
            throw new UserError("cannot read checkpoint " + latest + ": " + e.getMessage());
        }
    }

    private static Map<String, JsonNode> states(List<StatefulListener> listeners) {
        Map<String, JsonNode> states = new LinkedHashMap<>();
        listeners.forEach(l -> states.put(l.stateKey(), l.saveState()));
        return states;
    }

    private static RunResult fail(RunDirectory dir, ExperimentConfig config, String label, PrintStream progress, int steps,
                                  String reason) {
        dir.updateMeta(RunStatus.FAILED, reason, steps, null, true);
        dir.log("failed: " + reason);
        if (progress != null) {
            progress.println(label + ": failed: " + reason);
        }
        return new RunResult(dir.path(), config.variant(), config.train().seeds().get(0), RunStatus.FAILED);
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
