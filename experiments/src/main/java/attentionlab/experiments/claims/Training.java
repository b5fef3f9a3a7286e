package attentionlab.experiments.claims;

import attentionlab.experiments.compare.CompareOptions;
import attentionlab.experiments.compare.CompareResult;
import attentionlab.experiments.compare.Comparison;
import attentionlab.experiments.compare.RunRecord;
import attentionlab.experiments.sweep.ExperimentResult;
import attentionlab.experiments.sweep.ExperimentRunner;
import attentionlab.experiments.sweep.RunRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How claims train: the committed configs, run by the training module into
 * {@code <report>/training/<experiment>/<timestamp>/}, read back from their run directories (the
 * files are the contract, as for {@code lab compare}). An experiment asked for twice in one
 * invocation (a claim and a study reading the same runs) is trained once.
 */
public final class Training {

    private Training() {}

    /**
     * The runs of one experiment config, trained in this invocation.
     *
     * @param configName a file in configs/ without .yaml
     * @param sets {@code key.path=value} overrides (quick mode: fewer steps)
     * @param seed if not null, the only seed (quick mode)
     * @throws ClaimNotRunnable if training is not available in this build or the config is missing
     */
    public static List<RunRecord> run(ClaimContext context, String configName, List<String> sets, Long seed) throws ClaimNotRunnable {
        Path config = configsDir().resolve(configName + ".yaml");
        if (!Files.isRegularFile(config)) {
            throw new ClaimNotRunnable("config " + config + " does not exist");
        }
        String key = context.reportDir().toAbsolutePath() + "|" + configName + "|" + sets + "|" + seed;
        List<RunRecord> done = TRAINED.get(key);
        if (done != null) {
            context.log("reusing the " + configName + " runs trained earlier in this invocation");
            return done;
        }
        context.log("training configs/" + configName + ".yaml" + (sets.isEmpty() ? "" : " --set " + String.join(" --set ", sets))
                + (seed == null ? "" : " --seed " + seed));
        // one worker JVM per core: the claims' small models each use a core well, not two
        ExperimentResult result = ExperimentRunner.run(new RunRequest(config, sets, seed, context.reportDir().resolve("training"),
                context.progress(), null).withJobs(Runtime.getRuntime().availableProcessors()));
        context.evidence(result.experimentDir());
        List<RunRecord> runs = result.runs().stream().map(r -> RunRecord.load(r.runDir())).toList();
        TRAINED.put(key, runs);
        return runs;
    }

    /** Experiments trained in this JVM, by report directory, config, overrides and seed. */
    private static final Map<String, List<RunRecord>> TRAINED = new ConcurrentHashMap<>();

    /**
     * Draws the comparison of an experiment (in its comparison/ directory) and records the figures of
     * {@code metrics} as the context's evidence.
     */
    public static CompareResult compare(ClaimContext context, Path experimentDir, List<String> metrics) {
        CompareResult result = Comparison.run(CompareOptions.of(List.of(experimentDir)).withMetrics(metrics));
        result.figures().values().forEach(context::evidence);
        context.evidence(result.summary());
        return result;
    }

    /** configs/ of the checkout: $LAB_HOME/configs, else ./configs. */
    public static Path configsDir() {
        String home = System.getenv("LAB_HOME");
        return home == null ? Path.of("configs") : Path.of(home, "configs");
    }
}
