package attentionlab.experiments.cli;

import attentionlab.experiments.core.ExitCode;
import attentionlab.experiments.core.UserError;
import attentionlab.experiments.sweep.RunRequest;
import attentionlab.experiments.sweep.Slurm;
import attentionlab.experiments.sweep.SweepStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lab sweep submit | status}: a sweep on a Slurm cluster, one array task per run. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"Sweeps that outgrow one machine: submit an experiment's runs to Slurm as a job array, see where"
                + " they stand, resubmit what did not complete. On one machine use: lab run CONFIG --jobs N"},
        subcommands = {SweepCommand.Submit.class, SweepCommand.Status.class})
public final class SweepCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        return Lab.missingCommand(spec);
    }

    /** The scheduler's options, shared by a submission and a resubmission. */
    static final class SlurmOptions {
        @Option(names = "--partition", paramLabel = "P", description = "sbatch --partition (default: the cluster's).")
        String partition;

        @Option(names = "--time", paramLabel = "T", description = {"sbatch --time, e.g. 02:00:00; a task past it is",
            "interrupted (checkpointed), and --resume continues it."})
        String time;

        @Option(names = "--cpus-per-task", paramLabel = "C",
                description = "sbatch --cpus-per-task; also each run's engine threads (default: 1 CPU).")
        Integer cpusPerTask;

        @Option(names = "--array-limit", paramLabel = "K", description = "At most K tasks run at once (--array=...%K).")
        Integer arrayLimit;

        @Option(names = "--sbatch", paramLabel = "--NAME=VALUE", description = {"Any other sbatch option the site needs,",
            "e.g. --sbatch --account=proj42 --sbatch --mem=4G (repeatable)."})
        List<String> extra = new java.util.ArrayList<>();

        Slurm.Options options() {
            return new Slurm.Options(partition, time, cpusPerTask, arrayLimit, extra);
        }
    }

    @Command(name = "submit", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Create the experiment directory (manifest.json, slurm/sweep.sbatch) in the shared output"
                    + " directory and submit one Slurm job array: one array task per run, each running"
                    + " 'lab resume EXPERIMENT_DIR --point I' from this build (never building). Run it through ./lab"
                    + " in the checkout the tasks should use, on a filesystem every node sees.",
                "--resume DIR resubmits the runs that did not complete: never started (or their task failed before"
                    + " the run began), interrupted (e.g. past --time) or lost (killed); not failed or diverged runs."},
            footer = {"", "Examples:",
                "  lab sweep submit configs/sort.yaml --slurm --grid train.lr=1e-3,3e-3",
                "  lab sweep submit configs/argmax-stall.yaml --slurm --partition gpu \\",
                "      --time 01:00:00 --cpus-per-task 4 --array-limit 8 --out /shared/runs",
                "  lab sweep status /shared/runs/argmax-stall/20261123-125330",
                "  lab sweep submit --resume /shared/runs/argmax-stall/20261123-125330"})
    static final class Submit implements Callable<Integer> {

        @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG", description = "Experiment config (YAML).")
        Path config;

        @Option(names = "--slurm", description = "Submit to Slurm with sbatch (the scheduler supported; required for a new sweep).")
        boolean slurm;

        @Option(names = "--resume", paramLabel = "EXPERIMENT_DIR", description = "Resubmit what did not complete.")
        Path resume;

        @Mixin
        SlurmOptions slurmOptions = new SlurmOptions();

        @Mixin
        PlanOptions plan = new PlanOptions();

        @Override
        public Integer call() {
            if ((config == null) == (resume == null)) {
                throw new UserError("sweep submit: give a CONFIG for a new sweep or --resume EXPERIMENT_DIR, not "
                        + (config == null ? "neither" : "both"));
            }
            Slurm.Submission s;
            if (resume != null) {
                s = Slurm.resubmit(resume, slurmOptions.options());
                if (s.indices().isEmpty()) {
                    System.err.println("nothing to resubmit: every run is done, running, pending, failed or diverged"
                            + " (lab sweep status " + s.experimentDir() + ")");
                }
            } else {
                if (!slurm) {
                    throw new UserError("sweep submit: choose the scheduler with --slurm (the one supported); to use this"
                            + " machine's cores instead: lab run CONFIG --jobs N");
                }
                String home = System.getenv("LAB_HOME");
                if (home == null) {
                    throw new UserError("sweep submit: run it through ./lab (LAB_HOME is not set), so that the Slurm tasks"
                            + " run ./lab from the same checkout and build");
                }
                s = Slurm.submit(new RunRequest(config, plan.overrides(), plan.out, 1, null, System.err, null),
                        slurmOptions.options(), Path.of(home));
            }
            if (s.jobId() != null) {
                System.err.println("submitted Slurm job " + s.jobId() + ": " + s.indices().size() + " array task(s), points "
                        + ranges(s.indices()) + "; see them with: lab sweep status " + s.experimentDir());
            }
            System.out.println(s.experimentDir());
            return ExitCode.OK.code();
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = {"Where every run of an experiment stands: done, running, pending, failed, diverged,"
                    + " interrupted, lost (its process was killed) or not started; from the run directories and,"
                    + " for a Slurm sweep, squeue (and sacct when the cluster keeps accounting)."},
            footer = {"", "Exit status: 0 every run is done, 1 otherwise (the table says which), 2 bad input."})
    static final class Status implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "EXPERIMENT_DIR", description = "An experiment directory.")
        Path dir;

        @Override
        public Integer call() {
            SweepStatus status = SweepStatus.of(dir);
            System.out.println(status.table());
            return ExitCode.of(status.allDone()).code();
        }
    }

    /** {@code 0-3,5,7-8}. */
    static String ranges(List<Integer> indices) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < indices.size(); ) {
            int j = i;
            while (j + 1 < indices.size() && indices.get(j + 1) == indices.get(j) + 1) {
                j++;
            }
            b.append(b.length() > 0 ? "," : "").append(indices.get(i)).append(j > i ? "-" + indices.get(j) : "");
            i = j + 1;
        }
        return b.toString();
    }

}
