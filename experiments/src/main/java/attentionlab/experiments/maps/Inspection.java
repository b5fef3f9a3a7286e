package attentionlab.experiments.maps;

import attentionlab.experiments.core.UserError;
import attentionlab.experiments.io.OutputDirectory;
import attentionlab.experiments.layout.RunLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code lab inspect}: heatmaps of a run's saved attention snapshots, for every layer and head, one
 * figure per step and layer ({@code step-<S>-layer<L>-example<I>.png} and {@code .svg}) in a new
 * timestamped directory. Reads files only; everything is checked before the directory is made.
 */
public final class Inspection {

    private Inspection() {}

    /**
     * @param runDir a run directory
     * @param steps the steps to draw; empty: every saved step
     * @param example the saved example to draw (0 .. E-1)
     * @param out the parent of the timestamped output directory; null: {@code <runDir>/inspect}
     */
    public record Options(Path runDir, List<Integer> steps, int example, Path out) {}

    /** @param figures the PNG of each figure (each has an SVG beside it) */
    public record Result(Path outDir, List<Path> figures) {}

    /**
     * @throws UserError naming what exists if the directory is not a run, the run saved no snapshots,
     *     or a step or example was not saved
     */
    public static Result run(Options options) {
        RunLayout run = new RunLayout(options.runDir());
        if (!RunLayout.isRunDir(options.runDir())) {
            throw new UserError(options.runDir() + ": not a run directory (no " + RunLayout.METRICS + ")");
        }
        List<Integer> saved = AttentionSnapshots.steps(run);
        if (saved.isEmpty() || !Files.isRegularFile(run.attentionExamples())) {
            throw new UserError(options.runDir() + ": no saved attention maps (" + RunLayout.ATTENTION + "/ has no "
                    + RunLayout.ATTENTION_EXAMPLES + " and step-<S>.npz files; runs trained before attention snapshots"
                    + " existed have none: train it again to get them)");
        }
        for (int step : options.steps()) {
            if (!saved.contains(step)) {
                throw new UserError("--step " + step + ": no attention snapshot at this step; saved steps: " + list(saved));
            }
        }
        SnapshotExamples examples = AttentionSnapshots.examples(run);
        if (options.example() < 0 || options.example() >= examples.count()) {
            throw new UserError("--example " + options.example() + ": not saved; saved examples: 0.." + (examples.count() - 1)
                    + " (the first validation examples)");
        }
        List<Integer> steps = options.steps().isEmpty() ? saved : options.steps().stream().distinct().sorted().toList();
        Path out = OutputDirectory.create(options.out() != null ? options.out() : run.inspect());
        List<Path> figures = new ArrayList<>();
        for (int step : steps) {
            Snapshot snapshot = AttentionSnapshots.read(run, step);
            for (int l = 0; l < snapshot.layers().size(); l++) {
                figures.add(AttentionFigures.draw(List.of(snapshot), examples, l, options.example(), out,
                        "step-" + step + "-layer" + l + "-example" + options.example()).get(0));
            }
        }
        return new Result(out, figures);
    }

    private static String list(List<Integer> steps) {
        return steps.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }
}
