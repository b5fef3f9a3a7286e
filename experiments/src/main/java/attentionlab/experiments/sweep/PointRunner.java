package attentionlab.experiments.sweep;

import attentionlab.experiments.config.ExperimentConfig;
import attentionlab.experiments.core.UserError;
import attentionlab.experiments.layout.RunStatus;
import attentionlab.experiments.train.RunResult;
import attentionlab.experiments.train.RunTrainer;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * Trains one point of an experiment in this process, whatever state it is in: starts it when it has no
 * run directory yet, continues it from its newest checkpoint otherwise ({@link RunTrainer#resume}), and
 * leaves a completed run alone (unless {@code steps} extends it). Holds the point's lock meanwhile
 * ({@link PointLocks}) and records the point's status in the manifest. The same call serves
 * {@code lab run} (in this JVM or in a worker), {@code lab resume} and a Slurm array task, so a task
 * that Slurm restarts continues where it stopped.
 */
final class PointRunner {

    private PointRunner() {}

    /**
     * @param steps if not null, train to this many steps in total (resume --steps)
     * @param allowConfigChange continue a run whose config.yaml differs from its checkpoint's (resume --allow-config-change)
     * @throws UserError if another process trains the point, or its run cannot be resumed (no checkpoint, ...)
     */
    static RunResult run(Path experimentDir, Manifest manifest, Manifest.Point point, Integer steps, boolean allowConfigChange,
                         PrintStream progress, BooleanSupplier stop) {
        try (PointLocks.Held lock = PointLocks.tryPoint(experimentDir, point.run())) {
            if (lock == null) {
                throw new UserError(experimentDir.resolve(point.run()) + ": another process is training this run now");
            }
            Path runDir = experimentDir.resolve(point.run());
            RunResult result;
            if (!Files.exists(runDir)) {
                ExperimentConfig config = manifest.config(point, experimentDir);
                Manifest.updateStatus(experimentDir, point.run(), RunStatus.RUNNING.label());
                result = RunTrainer.trainNew(runDir, steps == null ? config : config.withSteps(steps), manifest.command(),
                        progress, stop);
            } else if (steps == null && PointStates.runStatus(runDir) == RunStatus.COMPLETED) {
                result = new RunResult(runDir, point.variant(), point.seed(), RunStatus.COMPLETED);
            } else {
                Manifest.updateStatus(experimentDir, point.run(), RunStatus.RUNNING.label());
                try {
                    result = RunTrainer.resume(runDir, steps, allowConfigChange, progress, stop);
                } catch (UserError e) {
                    Manifest.updateStatus(experimentDir, point.run(), PointStates.runStatus(runDir).label());
                    throw e;
                }
            }
            Manifest.updateStatus(experimentDir, point.run(), result.status().label());
            return result;
        }
    }
}
