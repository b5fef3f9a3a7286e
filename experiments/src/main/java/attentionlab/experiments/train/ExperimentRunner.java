package attentionlab.experiments.train;

import attentionlab.experiments.config.ConfigLoader;
import attentionlab.experiments.core.UserError;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
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

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private ExperimentRunner() {}

    /**
     * @throws UserError for a bad config or override (nothing is created then)
     */
    public static ExperimentResult run(RunRequest request) {
        BooleanSupplier stop = request.stop();
        ConfigLoader.Plan plan = ConfigLoader.plan(request.config(), request.sets(), request.seed());
        Path experimentDir = newExperimentDir(request.outRoot().resolve(plan.experiment()));
        String command = command(request);
        if (request.progress() != null) {
            request.progress().println("experiment " + plan.experiment() + ": " + plan.runs().size() + " run(s) in "
                    + experimentDir);
        }
        List<RunResult> results = new ArrayList<>();
        for (ConfigLoader.RunSpec spec : plan.runs()) {
            if (stop.getAsBoolean()) {
                break;
            }
            Path runDir = experimentDir.resolve(RunDirectory.name(spec.variant(), spec.seed()));
            results.add(RunTrainer.trainNew(runDir, spec.config(), command, request.progress(), stop));
        }
        return new ExperimentResult(experimentDir, results);
    }

    /** {@code root/<timestamp>}, or {@code -1}, {@code -2}, ... if that exists: created atomically, never reused. */
    static Path newExperimentDir(Path root) {
        String stamp = LocalDateTime.now().format(STAMP);
        try {
            Files.createDirectories(root);
            for (int n = 0; ; n++) {
                Path candidate = root.resolve(n == 0 ? stamp : stamp + "-" + n);
                try {
                    return Files.createDirectory(candidate);
                } catch (FileAlreadyExistsException taken) {
                    // next suffix
                }
            }
        } catch (IOException e) {
            throw new UserError("cannot create experiment directory under " + root + ": " + e.getMessage());
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
