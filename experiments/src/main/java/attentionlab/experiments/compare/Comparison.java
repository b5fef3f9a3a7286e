package attentionlab.experiments.compare;

import attentionlab.experiments.core.UserError;
import attentionlab.experiments.io.OutputDirectory;
import attentionlab.experiments.layout.MetricColumns;
import attentionlab.experiments.layout.RunLayout;
import attentionlab.experiments.plot.Charts;
import attentionlab.experiments.tensorboard.RunScalars;
import attentionlab.experiments.tensorboard.TensorBoardExport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.knowm.xchart.XYChart;

/**
 * {@code lab compare}: reads finished (or running) runs from disk and draws, per metric, each group's
 * seeds, their mean and a band, as PNG + SVG, plus summary.md; optionally TensorBoard event files.
 * Only reads run files: training never draws. Writes into a new directory every time.
 */
public final class Comparison {

    /** Attention projection weights: the gradient norms plotted by default. */
    private static final Pattern PROJECTION_GRAD = Pattern.compile(Pattern.quote(MetricColumns.GRAD_NORM) + ".*W_[qkvo].*weight.*");

    /** The folder under the first experiment directory that holds one directory per comparison. */
    public static final String FOLDER = "comparison";

    private Comparison() {}

    /**
     * Checks everything (options, files, pooling, that there is something to draw) before creating the
     * output directory.
     *
     * @throws UserError for bad options, a damaged metrics file, runs that cannot be pooled, an existing
     *     non-empty {@code out}, or when no metric has a finite value to draw
     */
    public static CompareResult run(CompareOptions options) {
        if (!(options.smooth() >= 0 && options.smooth() < 1)) {
            throw new UserError("--smooth " + options.smooth() + " is out of range; allowed: 0 <= w < 1 (0 = off, 0.6 is TensorBoard's default)");
        }
        List<RunRecord> runs = RunLoader.load(options.dirs());
        List<RunGroup> groups = RunGroup.of(runs, options.pool());
        List<String> metrics = selectMetrics(runs, options.metrics());
        Map<String, XYChart> charts = new LinkedHashMap<>();
        for (String metric : metrics) {
            XYChart chart = MetricPlot.chart(metric, groups, options.smooth(), options.band());
            if (chart != null) {
                charts.put(metric, chart);
            }
        }
        if (charts.isEmpty()) {
            throw new UserError("nothing to draw: no run has a finite value of " + String.join(", ", metrics)
                    + " (runs: " + String.join(", ", runs.stream().map(r -> r.dir().toString()).toList()) + ")");
        }
        Path out = outputDirectory(options);
        Map<String, Path> figures = new LinkedHashMap<>();
        charts.forEach((metric, chart) -> figures.put(metric, Charts.save(chart, out, Charts.fileName(metric)).get(0)));
        Path summary = out.resolve("summary.md");
        try {
            Files.writeString(summary, ComparisonSummary.markdown(groups, options), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + summary, e);
        }
        List<Path> events = options.tensorboard()
                ? TensorBoardExport.write(scalars(runs, allMetrics(runs)), out.resolve("tensorboard")) : List.of();
        return new CompareResult(out, groups, figures, summary, events);
    }

    /** {@code --out} if new or empty, else a new timestamped directory under the first experiment's comparison/. */
    private static Path outputDirectory(CompareOptions options) {
        Path out = options.out();
        if (out == null) {
            return OutputDirectory.create(RunLoader.experimentDir(options.dirs().get(0)).resolve(FOLDER));
        }
        try {
            if (Files.exists(out) && !(Files.isDirectory(out) && isEmpty(out))) {
                throw new UserError("--out " + out + " already exists and is not an empty directory; compare never overwrites"
                        + " (give a new directory, or leave --out out for a new <experiment>/" + FOLDER + "/<timestamp>)");
            }
            return Files.createDirectories(out);
        } catch (IOException e) {
            throw new UserError("--out " + out + ": cannot create the directory (" + e.getMessage() + ")");
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (var entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    /**
     * The metrics to plot: the requested ones (column names; '*' matches any characters), or by
     * default losses, accuracies, the attention projections' gradient norms and attention-on-target.
     *
     * @throws UserError if a requested metric matches no column
     */
    public static List<String> selectMetrics(List<RunRecord> runs, List<String> requested) {
        List<String> available = allMetrics(runs);
        Set<String> chosen = new LinkedHashSet<>();
        if (requested.isEmpty()) {
            MetricColumns.HEADLINE.stream().filter(available::contains).forEach(chosen::add);
            available.stream().filter(m -> PROJECTION_GRAD.matcher(m).matches()).forEach(chosen::add);
            available.stream().filter(MetricColumns::isAttentionOnTarget).forEach(chosen::add);
            return new ArrayList<>(chosen);
        }
        for (String r : requested) {
            Pattern glob = glob(r);
            List<String> matches = available.stream().filter(m -> glob.matcher(m).matches()).toList();
            if (matches.isEmpty()) {
                throw new UserError("--metric '" + r + "' matches no column of the runs; available: " + String.join(", ", available)
                        + " (* matches any characters)");
            }
            chosen.addAll(matches);
        }
        return new ArrayList<>(chosen);
    }

    /** A metric pattern where '*' matches any characters and everything else is literal. */
    static Pattern glob(String pattern) {
        return Pattern.compile(java.util.Arrays.stream(pattern.split("\\*", -1)).map(Pattern::quote)
                .collect(java.util.stream.Collectors.joining(".*")));
    }

    /**
     * The runs' metrics as TensorBoard scalars, one event directory per run,
     * {@code <experiment>/<variant>-s<seed>}, with the wall time logged at each step.
     */
    static List<RunScalars> scalars(List<RunRecord> runs, List<String> metrics) {
        List<RunScalars> out = new ArrayList<>();
        for (RunRecord run : runs) {
            Series wall = run.metrics().series(MetricColumns.WALL_TIME);
            List<RunScalars.Scalar> scalars = new ArrayList<>();
            for (String metric : metrics) {
                Series s = run.metrics().series(metric);
                scalars.add(new RunScalars.Scalar(metric, s.steps(), s.values()));
            }
            out.add(new RunScalars(Path.of(run.experiment(), RunLayout.name(run.variant(), run.seed())), wall.steps(),
                    wall.values(), scalars));
        }
        return out;
    }

    /** Every metric column of any run, in first-seen order. */
    public static List<String> allMetrics(List<RunRecord> runs) {
        Set<String> all = new LinkedHashSet<>();
        runs.forEach(r -> all.addAll(r.metrics().metrics()));
        return new ArrayList<>(all);
    }
}
