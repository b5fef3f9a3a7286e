package attentionlab.experiments.cli;

import attentionlab.experiments.config.ConfigLoader;
import attentionlab.experiments.core.ExitCode;
import attentionlab.experiments.core.UserError;
import attentionlab.experiments.sweep.ExperimentResult;
import attentionlab.experiments.sweep.ExperimentRunner;
import attentionlab.experiments.sweep.Interruption;
import attentionlab.experiments.sweep.RunRequest;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lab run CONFIG [options]}: a thin shell over {@link ExperimentRunner}. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Train every variant x grid point x seed of an experiment config; print the experiment directory.",
            "Each run gets <out>/<experiment>/<yyyyMMdd-HHmmss>[-N]/<variant>-s<seed>/ with config.yaml, meta.json,"
                + " metrics.csv, summary.json, log.txt and checkpoints/; manifest.json lists every run. The config and"
                + " every override are checked before anything is created. Ctrl-C stops after the current step,"
                + " checkpoints, and marks the runs interrupted (continue with 'lab resume EXPERIMENT_DIR')."},
        footer = {"", "Exit status: 0 every run completed, 1 a run failed, diverged or was interrupted,"
                + " 2 bad config or option (nothing created), 3 internal error; 130 / 143 after Ctrl-C / SIGTERM"
                + " (the current run is checkpointed and marked interrupted, runs that never started are listed).",
            "",
            "Examples:",
            "  lab run configs/argmax-stall.yaml --set train.steps=300 --seed 0",
            "  lab run configs/argmax-stall.yaml --variant softmax --variant argmax",
            "  lab run configs/sort.yaml --grid model.layers=1,2 --grid train.lr=1e-3,3e-3",
            "  lab run configs/argmax-stall.yaml --jobs 2",
            "  lab run configs/argmax-stall.yaml --dry-run"})
public final class RunCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "CONFIG", description = "Experiment config (YAML), e.g. configs/argmax-stall.yaml.")
    Path config;

    @Mixin
    PlanOptions plan = new PlanOptions();

    @Option(names = "--jobs", paramLabel = "N", defaultValue = "1", description = {
        "Train N runs at once, each in its own worker JVM (default: ${DEFAULT-VALUE}, in this JVM)."})
    int jobs;

    @Option(names = "--threads", paramLabel = "T",
            description = "Engine threads per run (default: cores / N with --jobs N, else the engine's default).")
    Integer threads;

    @Option(names = {"--dry-run", "--print-config"},
            description = "Print the resolved config of every run and exit; nothing is created.")
    boolean dryRun;

    @Override
    public Integer call() {
        checkJobs(jobs, threads);
        RunRequest request = new RunRequest(config, dryRun ? plan.overrides().withYes(true) : plan.overrides(), plan.out,
                jobs, threads, System.err, null);
        if (dryRun) {
            printPlan(ExperimentRunner.plan(request));
            return ExitCode.OK.code();
        }
        if (jobs == 1 && threads != null) {
            System.setProperty("ai.djl.pytorch.num_threads", threads.toString()); // read when the engine starts
        }
        try (Interruption interruption = Interruption.install()) { // report before the JVM may exit on a signal
            return report(ExperimentRunner.run(new RunRequest(config, request.overrides(), plan.out, jobs, threads, System.err,
                    interruption.signal())));
        }
    }

    /** Prints the runs that did not complete and the notes, then the experiment directory; the exit code. */
    static int report(ExperimentResult result) {
        result.runs().stream().filter(r -> r.status() != attentionlab.experiments.layout.RunStatus.COMPLETED)
                .forEach(r -> System.err.println("lab: " + r.runDir().getFileName() + " " + r.status()));
        result.notes().forEach(n -> System.err.println("lab: " + n));
        System.out.println(result.experimentDir());
        return ExitCode.of(result.allCompleted()).code();
    }

    static void checkJobs(int jobs, Integer threads) {
        if (jobs < 1 || jobs > 256) {
            throw new UserError("--jobs " + jobs + " is invalid; allowed: 1 to 256");
        }
        if (threads != null && (threads < 1 || threads > 1024)) {
            throw new UserError("--threads " + threads + " is invalid; allowed: 1 to 1024");
        }
    }

    private static void printPlan(ConfigLoader.Plan plan) {
        int n = plan.runs().size();
        System.out.println("# " + plan.experiment() + ": " + n + " run(s)" + (plan.grid().isEmpty() ? "" : ", grid " + plan.grid())
                + "; dry run, nothing was created");
        for (int i = 0; i < n; i++) {
            ConfigLoader.RunSpec spec = plan.runs().get(i);
            System.out.println("--- # run " + (i + 1) + " of " + n + ": " + spec.name());
            System.out.print(ConfigLoader.toYaml(spec.config()));
        }
    }
}
