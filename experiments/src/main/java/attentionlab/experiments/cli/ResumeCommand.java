package attentionlab.experiments.cli;

import attentionlab.experiments.core.ExitCode;
import attentionlab.experiments.layout.RunStatus;
import attentionlab.experiments.train.RunResult;
import attentionlab.experiments.train.RunTrainer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lab resume RUN_DIR [--steps N]}: a thin shell over {@link RunTrainer#resume}. */
@Command(name = "resume", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Continue a run from its newest checkpoint (parameters, Adam moments, step, wall time and the"
                + " summary's running values are restored; batches depend only on seed and step, so the curve"
                + " continues as if never stopped). Rows of metrics.csv after the checkpoint are dropped and"
                + " recomputed."},
        footer = {"", "Nothing is written unless the run can be resumed: the run directory is locked (a second resume"
                + " of the same run is refused), the checkpoint's checksums and the config it was trained with are"
                + " checked first.",
            "", "Exit status: 0 completed, 1 diverged, failed or interrupted again, 2 bad input (nothing written),"
                + " 3 internal error; 130 / 143 after Ctrl-C / SIGTERM (the run is checkpointed and marked interrupted)."})
public final class ResumeCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "A run directory, e.g. runs/argmax-stall/20261122-081500/softmax-s0.")
    Path runDir;

    @Option(names = "--steps", paramLabel = "N",
            description = "Train to N steps in total instead of the config's train.steps (extends a completed run;"
                    + " config.yaml is updated).")
    Integer steps;

    @Option(names = "--allow-config-change",
            description = "Continue although config.yaml differs from the config the checkpoint was trained with"
                    + " (e.g. an edited train.lr); the changed keys are recorded in meta.json (config_changes)."
                    + " Without it such a difference is refused.")
    boolean allowConfigChange;

    @Override
    public Integer call() {
        try (Interruption interruption = Interruption.install()) {
            RunResult result = RunTrainer.resume(runDir, steps, allowConfigChange, System.err, interruption.signal());
            System.out.println(result.runDir()); // before the interruption is released: after a signal the JVM then exits
            return ExitCode.of(result.status() == RunStatus.COMPLETED).code();
        }
    }
}
