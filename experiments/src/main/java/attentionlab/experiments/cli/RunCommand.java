package attentionlab.experiments.cli;

import attentionlab.experiments.core.ExitCode;
import attentionlab.experiments.layout.RunStatus;
import attentionlab.experiments.train.ExperimentResult;
import attentionlab.experiments.train.ExperimentRunner;
import attentionlab.experiments.train.RunRequest;
import attentionlab.experiments.train.RunResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lab run CONFIG [--set key.path=value ...] [--seed N] [--out DIR]}: a thin shell over {@link ExperimentRunner}. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Train every variant x seed of an experiment config and print the experiment directory.",
            "Each run gets <out>/<experiment>/<yyyyMMdd-HHmmss>[-N]/<variant>-s<seed>/ with config.yaml, meta.json,"
                + " metrics.csv, summary.json, log.txt and checkpoints/. The config and every override are checked"
                + " before anything is created. Ctrl-C stops after the current step, checkpoints, and marks the run"
                + " interrupted (continue it with 'lab resume RUN_DIR')."},
        footer = {"", "Exit status: 0 every run completed, 1 a run failed, diverged or was interrupted,"
                + " 2 bad config or option (nothing created), 3 internal error; 130 / 143 after Ctrl-C / SIGTERM"
                + " (the current run is checkpointed and marked interrupted, runs that never started are listed).",
            "Example: lab run configs/argmax-stall.yaml --set train.steps=300 --set train.seeds=[0]"})
public final class RunCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "CONFIG", description = "Experiment config (YAML), e.g. configs/argmax-stall.yaml.")
    Path config;

    @Option(names = "--set", paramLabel = "KEY.PATH=VALUE",
            description = "Override a config key for every run; the value is read as YAML (0.01, softmax, [0, 1])."
                    + " Repeatable; the key must exist and the value must have its type.")
    List<String> sets = new ArrayList<>();

    @Option(names = "--seed", paramLabel = "N", description = "Train only this seed (replaces train.seeds).")
    Long seed;

    @Option(names = "--out", paramLabel = "DIR", description = "Runs root (default: ${DEFAULT-VALUE}).")
    Path out = Lab.defaultRunsDir();

    @Override
    public Integer call() {
        // everything is printed before the interruption is released: after a signal the JVM then exits
        try (Interruption interruption = Interruption.install()) {
            ExperimentResult result = ExperimentRunner.run(new RunRequest(config, sets, seed, out, System.err,
                    interruption.signal()));
            for (RunResult r : result.runs()) {
                if (r.status() != RunStatus.COMPLETED) {
                    System.err.println("lab: " + r.runDir().getFileName() + " " + r.status());
                }
            }
            if (!result.notStarted().isEmpty()) {
                System.err.println("lab: never started: " + String.join(", ", result.notStarted()));
            }
            System.out.println(result.experimentDir());
            return ExitCode.of(result.allCompleted()).code();
        }
    }
}
