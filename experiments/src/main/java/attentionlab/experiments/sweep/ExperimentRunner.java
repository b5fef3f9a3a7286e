package attentionlab.experiments.sweep;

import attentionlab.experiments.config.ConfigLoader;
import attentionlab.experiments.config.MemoryEstimate;
import attentionlab.experiments.core.UserError;
import attentionlab.experiments.io.OutputDirectory;
import attentionlab.experiments.tasks.Task;
import attentionlab.experiments.tasks.TaskSize;
import attentionlab.experiments.tasks.Tasks;
import attentionlab.experiments.train.RunResult;
import attentionlab.experiments.train.RunTrainer;
import attentionlab.experiments.train.RunWeights;
import attentionlab.experiments.train.listeners.ProgressStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * {@code lab run} and {@code lab resume EXPERIMENT_DIR}: an experiment is a set of points (variant x
 * grid point x seed), each an ordinary run. {@link #run} resolves every point (all validated before
 * anything is created), creates {@code outRoot/<experiment>/<yyyyMMdd-HHmmss>[-N]} (never an existing
 * one) with its {@link Manifest}, and trains the points: one after the other in this JVM, or
 * {@code jobs} at a time in worker JVMs ({@link Workers}). A run that fails or diverges is recorded with
 * its status and the others continue. {@link #resume} starts or continues the points that need it.
 */
public final class ExperimentRunner {

    private ExperimentRunner() {}

    /**
     * Every run of the request, resolved and checked (config, task data, initial weights); nothing is created.
     *
     * @throws UserError for a bad config, override or data file
     */
    public static ConfigLoader.Plan plan(RunRequest request) {
        ConfigLoader.Plan plan = ConfigLoader.plan(request.config(), request.overrides());
        plan.runs().forEach(ExperimentRunner::checkRun);
        return plan;
    }

    /**
     * @throws UserError for a bad config or override (nothing is created then)
     */
    public static ExperimentResult run(RunRequest request) {
        ConfigLoader.Plan plan = plan(request);
        Path experimentDir = OutputDirectory.create(request.outRoot().resolve(plan.experiment()));
        try (PointLocks.Held lock = PointLocks.tryExperiment(experimentDir)) {
            Manifest manifest = Manifest.create(experimentDir, plan, request.config(), request.commandLine());
            say(request.progress(), "experiment " + plan.experiment() + ": " + plan.runs().size() + " run(s)"
                    + (request.jobs() > 1 ? ", " + request.jobs() + " at a time" : "") + " in " + experimentDir);
            return train(experimentDir, manifest, manifest.points(), request.jobs(), request.threads(), request.progress(),
                    request.stop(), new ArrayList<>(), new LinkedHashMap<>());
        }
    }

    /**
     * Starts the points of an experiment that never began and continues those that were interrupted or
     * lost (status running with no process), {@code jobs} at a time. Completed runs are counted as they
     * are; failed and diverged ones are listed, not retried (they would fail the same way:
     * {@code lab resume DIR --point RUN} retries one).
     *
     * @throws UserError if the directory has no manifest or another lab process is running the experiment
     */
    public static ExperimentResult resume(Path experimentDir, int jobs, Integer threads, PrintStream progress, BooleanSupplier stop) {
        Manifest manifest = Manifest.read(experimentDir);
        try (PointLocks.Held lock = PointLocks.tryExperiment(experimentDir)) {
            if (lock == null) {
                throw new UserError(experimentDir + ": another lab run or resume is running this experiment now");
            }
            List<Manifest.Point> todo = new ArrayList<>();
            List<String> notes = new ArrayList<>();
            Map<String, RunResult> done = new LinkedHashMap<>();
            for (PointStates.Row row : PointStates.of(experimentDir, manifest, SlurmQueue.states(experimentDir), false)) {
                Manifest.Point p = row.point();
                switch (row.state()) {
                    case DONE -> done.put(p.run(), result(experimentDir, p, row));
                    case FAILED, DIVERGED -> {
                        done.put(p.run(), result(experimentDir, p, row));
                        notes.add(p.run() + ": " + row.state() + ", not retried (same config and seed: same outcome);"
                                + " lab resume " + experimentDir + " --point " + p.run() + " retries it");
                    }
                    case RUNNING, PENDING -> notes.add(p.run() + ": " + row.state() + " in another process; left to it");
                    default -> todo.add(p);
                }
            }
            say(progress, "experiment " + manifest.experiment() + ": " + todo.size() + " of " + manifest.points().size()
                    + " run(s) to start or continue in " + experimentDir);
            return train(experimentDir, manifest, todo, jobs, threads, progress, stop, notes, done);
        }
    }

    /**
     * {@code lab resume RUN_DIR} or {@code lab resume EXPERIMENT_DIR --point P}: one run, started if it
     * never began, else continued from its newest checkpoint (failed and diverged ones too: asked for by
     * name). A run of an experiment with a manifest is trained under its point's lock and its status recorded.
     *
     * @param point a point's run name or index when {@code dir} is an experiment directory; else null
     * @param steps if not null, train to this many steps in total (extends a completed run)
     * @param allowConfigChange continue although config.yaml differs from the checkpoint's config (recorded in meta.json)
     * @throws UserError if there is no such run or point, or it cannot be resumed
     */
    public static RunResult resumeOne(Path dir, String point, Integer steps, boolean allowConfigChange, PrintStream progress,
                                      BooleanSupplier stop) {
        if (point != null) {
            Manifest manifest = Manifest.read(dir);
            return PointRunner.run(dir, manifest, manifest.point(point), steps, allowConfigChange, progress, stop);
        }
        Path experimentDir = dir.toAbsolutePath().normalize().getParent();
        if (experimentDir != null && Manifest.isExperimentDir(experimentDir)) {
            Manifest manifest = Manifest.read(experimentDir);
            String run = dir.toAbsolutePath().normalize().getFileName().toString();
            if (manifest.points().stream().anyMatch(p -> p.run().equals(run))) {
                return PointRunner.run(experimentDir, manifest, manifest.point(run), steps, allowConfigChange, progress, stop);
            }
        }
        return RunTrainer.resume(dir, steps, allowConfigChange, progress, stop);
    }

    private static RunResult result(Path experimentDir, Manifest.Point p, PointStates.Row row) {
        return new RunResult(experimentDir.resolve(p.run()), p.variant(), p.seed(), row.run());
    }

    /**
     * Trains {@code points} and gathers every result in the manifest's order; {@code earlier} holds
     * the results known before (resume), {@code notes} the points left alone.
     */
    private static ExperimentResult train(Path experimentDir, Manifest manifest, List<Manifest.Point> points, int jobs,
                                          Integer threads, PrintStream progress, BooleanSupplier stop, List<String> notes,
                                          Map<String, RunResult> earlier) {
        Map<String, RunResult> results = new LinkedHashMap<>(earlier);
        long steps = points.stream().mapToLong(p -> p.config().path("train").path("steps").asLong()).sum();
        try (ProgressStream stream = ProgressStream.of(progress, manifest.experiment(), points.size(), steps)) {
            PrintStream out = progress == null ? null : stream;
            if (jobs > 1 && points.size() > 1) {
                int perJob = threads != null ? threads : Math.max(1, Runtime.getRuntime().availableProcessors() / jobs);
                results.putAll(new Workers(experimentDir, Math.min(jobs, points.size()), perJob, out).run(points, stop, notes));
            } else {
                for (Manifest.Point p : points) {
                    if (stop.getAsBoolean()) {
                        break;
                    }
                    try {
                        results.put(p.run(), PointRunner.run(experimentDir, manifest, p, null, false, out, stop));
                    } catch (UserError e) {
                        notes.add(p.run() + ": " + e.getMessage());
                    }
                }
            }
        }
        List<RunResult> ordered = new ArrayList<>();
        for (Manifest.Point p : manifest.points()) {
            RunResult r = results.get(p.run());
            if (r != null) {
                ordered.add(r);
            } else if (points.contains(p) && notes.stream().noneMatch(n -> n.startsWith(p.run() + ": "))) {
                notes.add(p.run() + ": not started; continue with: lab resume " + experimentDir);
            }
        }
        return new ExperimentResult(experimentDir, ordered, notes);
    }

    /**
     * Builds the run's task (a sequence-file task reads its file here), so bad data fails before anything
     * is created, refuses a run that cannot fit in memory ({@link MemoryEstimate}), checks that the task has
     * a batch of training examples, and that the initial weights (if any) fit.
     *
     * @throws UserError naming the file, line and column of a bad row, the memory estimate and limit, the
     *     batch size, or the tensor that does not fit
     */
    static void checkRun(ConfigLoader.RunSpec spec) {
        Task task = Tasks.create(spec.config().task());
        TaskSize size = task.size();
        MemoryEstimate.check(spec.config(), size);
        long examples = size.trainExamples();
        int batch = spec.config().train().batchSize();
        if (examples < batch) {
            throw new UserError("train.batch_size: " + batch + " is invalid; the task has " + examples
                    + " training examples, so allowed: 1 to " + examples);
        }
        RunWeights.checkInitWeights(spec.config(), task);
    }

    private static void say(PrintStream progress, String line) {
        if (progress != null) {
            progress.println(line);
        }
    }
}
