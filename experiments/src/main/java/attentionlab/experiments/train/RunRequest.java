package attentionlab.experiments.train;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * What {@code lab run} asks for.
 *
 * @param config the experiment YAML
 * @param sets {@code key.path=value} overrides applied to every run
 * @param seed if not null, replaces {@code train.seeds} with this one seed
 * @param outRoot the runs root; the experiment directory is {@code outRoot/<experiment>/<timestamp>[-N]}
 * @param progress where progress goes (a progress bar when it is a terminal, log lines otherwise); null: log.txt only
 * @param stop checked before every step: when it turns true the current run stops (status interrupted) and
 *     no further run starts (e.g. a {@link attentionlab.experiments.core.StopSignal}); null: never
 */
public record RunRequest(Path config, List<String> sets, Long seed, Path outRoot, PrintStream progress,
                         BooleanSupplier stop) {

    public RunRequest {
        sets = sets == null ? List.of() : List.copyOf(sets);
        stop = stop == null ? () -> false : stop;
    }
}
