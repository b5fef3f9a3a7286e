package attentionlab.experiments.cli;

import attentionlab.experiments.compare.Band;
import attentionlab.experiments.compare.CompareOptions;
import attentionlab.experiments.compare.CompareResult;
import attentionlab.experiments.compare.Comparison;
import attentionlab.experiments.compare.RunRecord;
import attentionlab.experiments.core.ExitCode;
import attentionlab.experiments.core.UserError;
import attentionlab.experiments.maps.AttentionFigures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lab compare}: a thin shell over {@link Comparison#run}. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Overlay the curves of runs or experiments: every seed as a thin line, the mean over the seeds"
                + " present at each step with a band, a cross where a run ended early.",
            "Per metric a PNG and an SVG, plus summary.md (final values per status with the step they come from,"
                + " best values, one line per run). Reads files only; writes a new directory every time.",
            "Runs are grouped by (experiment directory, variant): two invocations of one config stay two groups"
                + " unless --pool."})
public final class CompareCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "RUN_OR_EXPERIMENT_DIR", description = "Run directories or experiment directories.")
    List<Path> dirs;

    @Option(names = "--metric", paramLabel = "NAME",
            description = "Metric column to plot (repeatable; * matches any characters, e.g. 'grad_norm/*W_q*'). "
                    + "Default: losses, accuracies, W_q/W_k/W_v/W_o gradient norms, attention on target.")
    List<String> metrics = new ArrayList<>();

    @Option(names = "--smooth", paramLabel = "W", defaultValue = "0",
            description = "TensorBoard-style debiased EMA smoothing weight in [0, 1) (default: ${DEFAULT-VALUE} = off; 0.6 is TensorBoard's default).")
    double smooth;

    @Option(names = "--band", paramLabel = "KIND", defaultValue = "minmax",
            description = "Band over seeds: minmax or std (mean +- 1 sample std). Default: ${DEFAULT-VALUE}.")
    String band;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Output directory, new or empty (default: a new <first experiment dir>/comparison/<yyyyMMdd-HHmmss>).")
    Path out;

    @Option(names = "--pool",
            description = "Pool a variant's runs from several experiment directories into one group; refused when their"
                    + " configs differ in anything but the seed (the differing keys are named).")
    boolean pool;

    @Option(names = "--tensorboard", description = "Also write TensorBoard event files (scalars) under <out>/tensorboard.")
    boolean tensorboard;

    @Option(names = "--attention", description = "Also draw each run's saved attention maps (first validation example, every"
            + " layer and head, at initialisation and at the last evaluation) under <out>/attention.")
    boolean attention;

    @Override
    public Integer call() {
        Band kind = switch (band) {
            case "minmax" -> Band.MINMAX;
            case "std" -> Band.STD;
            default -> throw new UserError("--band '" + band + "' is not allowed; allowed: minmax, std");
        };
        CompareResult result = Comparison.run(new CompareOptions(dirs, metrics, smooth, kind, out, tensorboard, pool));
        System.out.println("compared " + result.groups().stream().mapToInt(g -> g.runs().size()).sum() + " runs in "
                + result.groups().size() + " groups: " + result.figures().size() + " figures (PNG + SVG)");
        System.out.println(result.summary());
        if (!result.eventFiles().isEmpty()) {
            System.out.println("TensorBoard: tensorboard --logdir " + result.outDir().resolve("tensorboard"));
        }
        if (attention) {
            List<Path> runs = result.groups().stream().flatMap(g -> g.runs().stream()).map(RunRecord::dir).toList();
            List<Path> maps = AttentionFigures.forRuns(runs, result.outDir().resolve("attention"));
            System.out.println("attention maps: " + maps.size() + " figures (PNG + SVG) in " + result.outDir().resolve("attention")
                    + (maps.isEmpty() ? " (no run saved attention snapshots)" : ""));
        }
        System.out.println(result.outDir());
        return ExitCode.OK.code();
    }
}
