package attentionlab.experiments.cli;

import attentionlab.experiments.core.ExitCode;
import attentionlab.experiments.core.UserError;
import attentionlab.experiments.layout.RunStatus;
import attentionlab.experiments.sweep.ExperimentRunner;
import attentionlab.experiments.sweep.Interruption;
import attentionlab.experiments.sweep.Manifest;
import attentionlab.experiments.train.RunResult;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lab resume RUN_DIR | EXPERIMENT_DIR [--point P] [--steps N] [--jobs N]}: a thin shell over
 * {@link ExperimentRunner#resume} and {@link ExperimentRunner#resumeOne}.
 */
@Command(name = "resume", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Continue a run, or every unfinished run of an experiment, from its newest checkpoint.",
            "A run continues from its newest checkpoint (parameters, Adam moments, step, wall time and the"
                + " summary's running values are restored; batches depend only on seed and step, so the curve"
                + " continues as if never stopped). Rows of metrics.csv after the checkpoint are dropped and"
                + " recomputed.",
            "Given an experiment directory: start every run that never began and continue every run that was"
                + " interrupted or lost its process; completed runs are kept, failed and diverged ones listed"
                + " (--point RUN retries one)."},
        footer = {"", "Nothing is written unless a run can be resumed: the run directory is locked (a second resume"
                + " of the same run is refused), the checkpoint's checksums and the config it was trained with are"
                + " checked first.",
            "", "Exit status: 0 every run asked for completed, 1 a run diverged, failed or was interrupted again"
                + " (or was left), 2 bad input (nothing written), 3 internal error; 130 / 143 after Ctrl-C / SIGTERM"
                + " (the run is checkpointed and marked interrupted).",
            "",
            "Examples:",
            "  lab resume runs/argmax-stall/20261122-081500",
            "  lab resume runs/argmax-stall/20261122-081500 --jobs 2",
            "  lab resume runs/argmax-stall/20261122-081500/softmax-s0 --steps 800"})
public final class ResumeCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DIR",
            description = "A run directory (runs/<experiment>/<timestamp>/<run>) or an experiment directory.")
    Path dir;

    @Option(names = "--point", paramLabel = "RUN|INDEX",
            description = "Only this run of the experiment directory (its name, or its index in manifest.json).")
    String point;

    @Option(names = "--steps", paramLabel = "N",
            description = "Train to N steps in total instead of the config's train.steps (extends a completed run;"
                    + " config.yaml is updated). One run only.")
    Integer steps;

    @Option(names = "--allow-config-change",
            description = "Continue although config.yaml differs from the config the checkpoint was trained with"
                    + " (e.g. an edited train.lr); the changed keys are recorded in meta.json (config_changes)."
                    + " Without it such a difference is refused.")
    boolean allowConfigChange;

    @Option(names = "--jobs", paramLabel = "N", defaultValue = "1",
            description = "Experiment directory: train N runs at once in worker JVMs (default: ${DEFAULT-VALUE}).")
    int jobs;

    @Option(names = "--threads", paramLabel = "T", description = "Engine threads per run (default: cores / N with --jobs N).")
    Integer threads;

    @Override
    public Integer call() {
        RunCommand.checkJobs(jobs, threads);
        boolean experiment = Manifest.isExperimentDir(dir);
        if (!experiment && point != null) {
            throw new UserError("--point " + point + ": " + dir + " is not an experiment directory (no " + Manifest.FILE + ")");
        }
        if (experiment && point == null) {
            if (steps != null) {
                throw new UserError("--steps " + steps + ": applies to one run; give --point RUN or the run's directory");
            }
            try (Interruption interruption = Interruption.install()) {
                return RunCommand.report(ExperimentRunner.resume(dir, jobs, threads, System.err, interruption.signal()));
            }
        }
        if (threads != null) {
            System.setProperty("ai.djl.pytorch.num_threads", threads.toString()); // read when the engine starts
        }
        try (Interruption interruption = Interruption.install()) { // report before the JVM may exit on a signal
            RunResult result = ExperimentRunner.resumeOne(dir, point, steps, allowConfigChange, System.err,
                    interruption.signal());
            System.out.println(result.runDir());
            return ExitCode.of(result.status() == RunStatus.COMPLETED).code();
        }
    }
}
