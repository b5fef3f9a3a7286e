package attentionlab.experiments.train;

import attentionlab.experiments.config.ConfigLoader;
import attentionlab.experiments.config.MemoryEstimate;
import attentionlab.experiments.core.UserError;
import attentionlab.experiments.io.OutputDirectory;
import attentionlab.experiments.layout.RunLayout;
import attentionlab.experiments.tasks.TaskSize;
import attentionlab.experiments.tasks.Tasks;
import attentionlab.experiments.train.listeners.ProgressStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * {@code lab run}: resolves every variant x seed of a config (all validated before anything is
 * created), creates {@code outRoot/<experiment>/<yyyyMMdd-HHmmss>[-N]} (never an existing one) and
 * trains the runs one after the other. A run that fails or diverges is recorded with its status and
 * the others continue.
 */
public final class ExperimentRunner {

    private ExperimentRunner() {}

    /**
     * @throws UserError for a bad config or override (nothing is created then)
     */
    public static ExperimentResult run(RunRequest request) {
        BooleanSupplier stop = request.stop();
        ConfigLoader.Plan plan = ConfigLoader.plan(request.config(), request.sets(), request.seed());
        plan.runs().forEach(ExperimentRunner::checkTask);
        Path experimentDir = OutputDirectory.create(request.outRoot().resolve(plan.experiment()));
        String command = command(request);
        long steps = plan.runs().stream().mapToLong(r -> r.config().train().steps()).sum();
        List<RunResult> results = new ArrayList<>();
        List<String> notStarted = new ArrayList<>();
        try (ProgressStream progress = ProgressStream.of(request.progress(), plan.experiment(), plan.runs().size(), steps)) {
            progress.println("experiment " + plan.experiment() + ": " + plan.runs().size() + " run(s) in " + experimentDir);
            for (ConfigLoader.RunSpec spec : plan.runs()) {
                String name = RunLayout.name(spec.variant(), spec.seed());
                if (stop.getAsBoolean()) {
                    notStarted.add(name);
                    continue;
                }
                results.add(RunTrainer.trainNew(experimentDir.resolve(name), spec.config(), command, progress, stop));
            }
        }
        return new ExperimentResult(experimentDir, results, notStarted);
    }

    /**
     * Builds the run's task (a sequence-file task reads its file here), so bad data fails before anything
     * is created, refuses a run that cannot fit in memory ({@link MemoryEstimate}), and checks that the task
     * has a batch of training examples.
     *
     * @throws UserError naming the file, line and column of a bad row, the memory estimate and limit, or the batch size
     */
    static void checkTask(ConfigLoader.RunSpec spec) {
        TaskSize size = Tasks.create(spec.config().task()).size();
        MemoryEstimate.check(spec.config(), size);
        long examples = size.trainExamples();
        int batch = spec.config().train().batchSize();
        if (examples < batch) {
            throw new UserError("train.batch_size: " + batch + " is invalid; the task has " + examples
                    + " training examples, so allowed: 1 to " + examples);
        }
    }

    private static String command(RunRequest r) {
        StringBuilder b = new StringBuilder("lab run ").append(r.config());
        r.sets().forEach(s -> b.append(" --set ").append(s));
        if (r.seed() != null) {
            b.append(" --seed ").append(r.seed());
        }
        return b.append(" --out ").append(r.outRoot()).toString();
    }
}
