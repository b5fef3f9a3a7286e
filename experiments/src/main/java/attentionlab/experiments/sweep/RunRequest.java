package attentionlab.experiments.sweep;

import attentionlab.experiments.config.Overrides;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * What {@code lab run} asks for.
 *
 * @param config the experiment YAML
 * @param overrides {@code --set}, {@code --grid}, {@code --variant}, {@code --seed}, ... ({@link Overrides})
 * @param outRoot the runs root; the experiment directory is {@code outRoot/<experiment>/<timestamp>[-N]}
 * @param jobs how many runs train at once: 1 in this JVM, more in as many worker JVMs ({@link Workers})
 * @param threads engine threads of each worker JVM; null: cores / jobs
 * @param progress where progress goes (a progress bar when it is a terminal, log lines otherwise); null: log.txt only
 * @param stop checked before every step: when it turns true the current runs stop (status interrupted) and
 *     no further run starts (e.g. a {@link attentionlab.experiments.core.StopSignal}); null: never
 */
public record RunRequest(Path config, Overrides overrides, Path outRoot, int jobs, Integer threads, PrintStream progress,
                         BooleanSupplier stop) {

    public RunRequest {
        overrides = overrides == null ? Overrides.none() : overrides;
        stop = stop == null ? () -> false : stop;
        if (jobs < 1) {
            throw new IllegalArgumentException("jobs must be >= 1, got " + jobs);
        }
    }

    /** One run at a time in this JVM, with {@code --set} overrides and at most one seed. */
    public RunRequest(Path config, List<String> sets, Long seed, Path outRoot, PrintStream progress, BooleanSupplier stop) {
        this(config, Overrides.of(sets, seed), outRoot, 1, null, progress, stop);
    }

    public RunRequest withJobs(int newJobs) {
        return new RunRequest(config, overrides, outRoot, newJobs, threads, progress, stop);
    }

    /** The command line that makes the same experiment (recorded in the manifest and in each run's meta.json). */
    String commandLine() {
        return commandLine("lab run");
    }

    /** The same with another command in front, e.g. {@code lab sweep submit}. */
    String commandLine(String command) {
        return command + " " + Overrides.shellWord(config.toString()) + overrides.commandLine() + " --out "
                + Overrides.shellWord(outRoot.toString());
    }
}
