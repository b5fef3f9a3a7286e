package attentionlab.experiments.cli;

import attentionlab.experiments.claims.ReproduceOptions;
import attentionlab.experiments.claims.ReproduceResult;
import attentionlab.experiments.claims.Reproduction;
import attentionlab.experiments.core.ExitCode;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lab reproduce}: a thin shell over {@link Reproduction#run}; exit 0 when every claim run holds
 * and every study run completed ({@link ReproduceResult#succeeded()}), else 1.
 */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
        description = {"Re-check every homework claim with fresh measurements.",
            "Writes claims.json, report.md and a self-contained report.html into runs/reproduce/<timestamp>/.",
            "A claim that could not be run counts as not holding."},
        footer = {"", "Exit status: 0 every claim run holds and every study run completed (with --only <study> no claim is"
                + " judged, and the last lines say so), 1 a claim fails or was not run or a study did not complete, 2 bad option,"
                + " 3 internal error."})
public final class ReproduceCommand implements Callable<Integer> {

    @Option(names = "--quick", description = "Reduced sizes (fewer samples, steps and seeds); same logic and tolerances.")
    boolean quick;

    @Option(names = "--only", paramLabel = "CLAIM_ID", description = "Run one claim or study only, e.g. scaling-stats.")
    String only;

    @Option(names = "--out", paramLabel = "DIR", description = "Where the timestamped report directory is created (default: runs/reproduce).")
    Path out;

    @Option(names = "--jobs", paramLabel = "N", description = "Train N runs at once, each in a worker JVM (default: the number of"
            + " cores; 1 trains in this JVM).")
    Integer jobs;

    @Override
    public Integer call() {
        int n = jobs != null ? jobs : Runtime.getRuntime().availableProcessors();
        RunCommand.checkJobs(n, null);
        Path parent = out != null ? out : Lab.defaultRunsDir().resolve("reproduce");
        ReproduceResult result = Reproduction.run(new ReproduceOptions(quick, only, parent, System.out, n));
        System.out.println(result.dir());
        return ExitCode.of(result.succeeded()).code();
    }
}
