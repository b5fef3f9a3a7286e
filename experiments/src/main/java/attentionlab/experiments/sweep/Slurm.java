package attentionlab.experiments.sweep;

import attentionlab.experiments.config.ConfigLoader;
import attentionlab.experiments.core.UserError;
import attentionlab.experiments.io.Json;
import attentionlab.experiments.io.OutputDirectory;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Sweeps on a Slurm cluster: an experiment directory (with its {@link Manifest}) is created in the
 * shared output directory, and one job array is submitted with one array task per point; task i runs
 * {@code lab resume EXPERIMENT_DIR --point i} from the same build (the jar's hash is checked, nothing is
 * built). Slurm places, runs and retries the tasks; nothing here schedules. Files under
 * {@code <experiment>/slurm/}: {@code sweep.sbatch} (the generic array script, {@link SbatchScript}),
 * {@code jar.sha256}, {@code options.json}, {@code jobs.txt} (one array job id per submission) and
 * {@code <job>_<index>.out} (each task's output).
 */
public final class Slurm {

    static final String DIR = "slurm";
    static final String SCRIPT = "sweep.sbatch";
    static final String JAR_HASH = "jar.sha256";
    static final String OPTIONS = "options.json";
    static final String JOBS = "jobs.txt";

    private Slurm() {}

    /**
     * The sbatch options of a submission; null means "not given" (the cluster's default).
     *
     * @param arrayLimit at most this many array tasks run at once ({@code --array=...%K})
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Options(@JsonProperty("partition") String partition, @JsonProperty("time") String time,
                          @JsonProperty("cpus_per_task") Integer cpusPerTask, @JsonProperty("array_limit") Integer arrayLimit,
                          @JsonProperty("sbatch") List<String> extra) {

        public Options {
            extra = extra == null ? List.of() : List.copyOf(extra);
            for (String option : extra) {
                if (!option.matches("--[a-z][a-z-]*(=[A-Za-z0-9_.:,+%/@=-]+)?")) {
                    throw new UserError("--sbatch '" + option + "' is invalid; give one sbatch option as --name=value,"
                            + " e.g. --sbatch --account=proj42 --sbatch --mem=4G");
                }
            }
            if (cpusPerTask != null && cpusPerTask < 1) {
                throw new UserError("--cpus-per-task " + cpusPerTask + " is invalid; allowed: integers >= 1");
            }
            if (arrayLimit != null && arrayLimit < 1) {
                throw new UserError("--array-limit " + arrayLimit + " is invalid; allowed: integers >= 1");
            }
            for (String[] option : new String[][] {{"--partition", partition}, {"--time", time}}) {
                if (option[1] != null && !option[1].matches("[A-Za-z0-9_.:,+-]+")) {
                    throw new UserError(option[0] + " '" + option[1] + "' is invalid; allowed: letters, digits and _ . : , + -");
                }
            }
        }

        public Options(String partition, String time, Integer cpusPerTask, Integer arrayLimit) {
            this(partition, time, cpusPerTask, arrayLimit, List.of());
        }

        /** These options, with the ones given in {@code newer} replacing them. */
        Options with(Options newer) {
            return new Options(newer.partition != null ? newer.partition : partition, newer.time != null ? newer.time : time,
                    newer.cpusPerTask != null ? newer.cpusPerTask : cpusPerTask,
                    newer.arrayLimit != null ? newer.arrayLimit : arrayLimit, newer.extra.isEmpty() ? extra : newer.extra);
        }
    }

    /**
     * @param jobId the array job's id as sbatch printed it (null when nothing was submitted)
     * @param indices the points submitted
     */
    public record Submission(Path experimentDir, String jobId, List<Integer> indices) {}

    /**
     * Plans the sweep (every point validated, nothing created on bad input), creates its experiment
     * directory and submits the job array.
     *
     * @param labHome the checkout whose {@code ./lab} the tasks run (its jar is the running build)
     * @throws UserError for bad input, no sbatch, no jar, or sbatch refusing the job (the directory is then removed)
     */
    public static Submission submit(RunRequest request, Options options, Path labHome) {
        requireSbatch();
        Path jar = jar(labHome);
        ConfigLoader.Plan plan = ExperimentRunner.plan(request);
        Path experimentDir = OutputDirectory.create(request.outRoot().resolve(plan.experiment())).toAbsolutePath();
        try {
            Manifest.create(experimentDir, plan, request.config(), request.commandLine("lab sweep submit") + " --slurm"
                    + options(options));
            Path slurm = Files.createDirectories(experimentDir.resolve(DIR));
            Files.writeString(slurm.resolve(SCRIPT), SbatchScript.text(plan.experiment(), experimentDir, labHome.toAbsolutePath(), options));
            slurm.resolve(SCRIPT).toFile().setExecutable(true);
            Files.writeString(slurm.resolve(JAR_HASH), JarHash.of(jar) + "  " + jar.toAbsolutePath() + "\n");
            Json.write(slurm.resolve(OPTIONS), options);
            String job = sbatch(experimentDir, "0-" + (plan.runs().size() - 1), options, new Options(null, null, null, null));
            return new Submission(experimentDir, job, java.util.stream.IntStream.range(0, plan.runs().size()).boxed().toList());
        } catch (IOException e) {
            deleteTree(experimentDir);
            throw new UncheckedIOException("cannot write the sweep's files in " + experimentDir, e);
        } catch (RuntimeException e) {
            deleteTree(experimentDir); // nothing was submitted: leave nothing behind
            throw e;
        }
    }

    /**
     * Resubmits the points that need it ({@link PointState#RESUMABLE}: never started or failed before
     * its run began, interrupted, lost); done, running, pending, failed and diverged points are left.
     *
     * @param newer sbatch options replacing the submission's for this resubmission (nulls: keep)
     * @throws UserError if the directory was not submitted with {@code sweep submit}, the build changed, or sbatch refuses
     */
    public static Submission resubmit(Path experimentDir, Options newer) {
        Path dir = experimentDir.toAbsolutePath();
        Manifest manifest = Manifest.read(dir);
        Path slurm = dir.resolve(DIR);
        if (!Files.isRegularFile(slurm.resolve(SCRIPT))) {
            throw new UserError(dir + ": not submitted with lab sweep submit (no " + DIR + "/" + SCRIPT
                    + "); continue it on this machine with: lab resume " + dir);
        }
        requireSbatch();
        JarHash.check(slurm.resolve(JAR_HASH));
        List<Integer> indices = PointStates.of(dir, manifest, SlurmQueue.states(dir), false).stream()
                .filter(r -> PointState.RESUMABLE.contains(r.state())).map(r -> r.point().index()).toList();
        if (indices.isEmpty()) {
            return new Submission(dir, null, List.of());
        }
        Options submitted = Json.read(slurm.resolve(OPTIONS), Options.class);
        String spec = indices.stream().map(String::valueOf).collect(Collectors.joining(","));
        return new Submission(dir, sbatch(dir, spec, submitted.with(newer), newer), indices);
    }

    /**
     * Runs sbatch on the sweep's script and records the job id.
     *
     * @param onCommandLine options passed as flags (they override the script's #SBATCH lines)
     */
    private static String sbatch(Path experimentDir, String indices, Options options, Options onCommandLine) {
        List<String> command = new ArrayList<>(List.of("sbatch", "--parsable"));
        if (onCommandLine.partition() != null) {
            command.add("--partition=" + onCommandLine.partition());
        }
        if (onCommandLine.time() != null) {
            command.add("--time=" + onCommandLine.time());
        }
        if (onCommandLine.cpusPerTask() != null) {
            command.add("--cpus-per-task=" + onCommandLine.cpusPerTask());
        }
        command.addAll(onCommandLine.extra());
        command.add("--array=" + indices + (options.arrayLimit() != null ? "%" + options.arrayLimit() : ""));
        command.add(experimentDir.resolve(DIR).resolve(SCRIPT).toString());
        Commands.Output out = Commands.run(command, 60);
        if (!out.ok()) {
            throw new UserError("sbatch refused the sweep: " + out.lastLine());
        }
        String job = out.out().trim().split(";")[0];
        if (!job.matches("\\d+")) {
            throw new UserError("sbatch answered '" + out.out().trim() + "', not a job id");
        }
        try {
            Files.writeString(experimentDir.resolve(DIR).resolve(JOBS), job + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("job " + job + " was submitted but cannot be recorded in " + JOBS, e);
        }
        return job;
    }

    /** The array job ids of an experiment, oldest first (empty when it was not submitted to Slurm). */
    static List<String> jobs(Path experimentDir) {
        Path file = experimentDir.resolve(DIR).resolve(JOBS);
        try {
            return Files.isRegularFile(file) ? Files.readAllLines(file).stream().map(String::trim).filter(s -> !s.isEmpty()).toList()
                    : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static void requireSbatch() {
        if (!Commands.onPath("sbatch")) {
            throw new UserError("--slurm: sbatch is not on the PATH (Slurm's client commands are needed; on this machine as root:"
                    + " scripts/slurm-local.sh start); to use this machine's cores instead: lab run CONFIG --jobs N");
        }
    }

    /** The jar the tasks run: {@code <labHome>/experiments/target/attention-lab.jar}. */
    static Path jar(Path labHome) {
        Path jar = labHome.resolve("experiments/target/attention-lab.jar");
        if (!Files.isRegularFile(jar)) {
            throw new UserError(jar + " does not exist; build it first (./lab --version builds it)");
        }
        return jar;
    }

    private static String options(Options o) {
        return (o.partition() != null ? " --partition " + o.partition() : "") + (o.time() != null ? " --time " + o.time() : "")
                + (o.cpusPerTask() != null ? " --cpus-per-task " + o.cpusPerTask() : "")
                + (o.arrayLimit() != null ? " --array-limit " + o.arrayLimit() : "")
                + o.extra().stream().map(e -> " --sbatch " + e).collect(Collectors.joining());
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir + " after the failed submission", e);
        }
    }
}
