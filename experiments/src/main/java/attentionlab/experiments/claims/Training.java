package attentionlab.experiments.claims;

import attentionlab.experiments.compare.CompareOptions;
import attentionlab.experiments.compare.CompareResult;
import attentionlab.experiments.compare.Comparison;
import attentionlab.experiments.compare.RunRecord;
import attentionlab.experiments.config.ConfigLoader;
import attentionlab.experiments.layout.RunKeys;
import attentionlab.experiments.sweep.ExperimentResult;
import attentionlab.experiments.sweep.ExperimentRunner;
import attentionlab.experiments.sweep.RunRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How claims train: the committed configs, run by the training module into
 * {@code <report>/training/<experiment>/<timestamp>/}, read back from their run directories (the
 * files are the contract, as for {@code lab compare}). An experiment asked for twice in one
 * invocation (a claim and a study reading the same runs) is trained once; nothing trained by an
 * earlier invocation is ever read.
 */
public final class Training {

    private Training() {}

    /** Steps a run trains for in quick mode (the config's own number when that is smaller). */
    public static final int QUICK_STEPS = 150;

    /**
     * The runs of one experiment config, trained in this invocation. Quick mode trains the config's first
     * seed only, for {@link #QUICK_STEPS} steps, and records both reductions on the context (the verdict
     * then says "quick: 1 of 3 seeds, 150 of 400 steps").
     *
     * @param configName a file in configs/ without .yaml
     * @throws ClaimNotRunnable if the config is missing
     */
    public static List<RunRecord> run(ClaimContext context, String configName) throws ClaimNotRunnable {
        Path config = configsDir().resolve(configName + ".yaml");
        if (!Files.isRegularFile(config)) {
            throw new ClaimNotRunnable("config " + config + " does not exist");
        }
        Overrides overrides = Overrides.of(context, config);
        List<String> sets = overrides.sets();
        Long seed = overrides.seed();
        String key = context.reportDir().toAbsolutePath() + "|" + configName + "|" + sets + "|" + seed;
        List<RunRecord> done = TRAINED.get(key);
        if (done != null) {
            context.log("reusing the " + configName + " runs trained earlier in this invocation");
            return done;
        }
        context.log("training configs/" + configName + ".yaml" + (sets.isEmpty() ? "" : " --set " + String.join(" --set ", sets))
                + (seed == null ? "" : " --seed " + seed));
        ExperimentResult result = ExperimentRunner.run(new RunRequest(config, sets, seed, context.reportDir().resolve("training"),
                context.progress(), null).withJobs(context.jobs()));
        context.evidence(result.experimentDir());
        List<RunRecord> runs = result.runs().stream().map(r -> RunRecord.load(r.runDir())).toList();
        TRAINED.put(key, runs);
        return runs;
    }

    /**
     * What a claim's training changes from the config: in quick mode the config's first seed only and
     * at most {@link #QUICK_STEPS} steps, both recorded on the context as reductions; nothing otherwise.
     *
     * @param sets {@code key.path=value} overrides
     * @param seed the only seed, or null for the config's seeds
     */
    record Overrides(List<String> sets, Long seed) {

        static Overrides of(ClaimContext context, Path config) {
            if (!context.quickMode()) {
                return new Overrides(List.of(), null);
            }
            ConfigLoader.Plan full = ConfigLoader.plan(config, List.of(), null);
            List<Long> seeds = full.runs().stream().map(ConfigLoader.RunSpec::seed).distinct().toList();
            int steps = full.runs().get(0).config().train().steps();
            if (seeds.size() > 1) {
                context.reduced("1 of " + seeds.size() + " seeds");
            }
            if (steps <= QUICK_STEPS) {
                return new Overrides(List.of(), seeds.get(0));
            }
            context.reduced(QUICK_STEPS + " of " + steps + " steps");
            return new Overrides(List.of("train.steps=" + QUICK_STEPS), seeds.get(0));
        }
    }

    /** The runs grouped by variant, variants in the order of their first run. */
    public static Map<String, List<RunRecord>> byVariant(List<RunRecord> runs) {
        Map<String, List<RunRecord>> groups = new LinkedHashMap<>();
        runs.forEach(r -> groups.computeIfAbsent(r.variant(), k -> new ArrayList<>()).add(r));
        return groups;
    }

    /** The task's chance accuracy, from the first run whose summary records it; NaN if none does. */
    public static double chance(List<RunRecord> runs) {
        return runs.stream().mapToDouble(r -> r.summaryValue(null, RunKeys.CHANCE_ACCURACY)).filter(Double::isFinite)
                .findFirst().orElse(Double.NaN);
    }

    /** The experiment directory the runs were trained into (their parent), or null when there are none. */
    public static String experimentDir(List<RunRecord> runs) {
        return runs.isEmpty() ? null : runs.get(0).dir().getParent().toString();
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
