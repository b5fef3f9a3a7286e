package attentionlab.experiments.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;

/** Benchmark figures (PNG + SVG, XChart), drawn from the result records only. */
final class BenchPlots {

    private BenchPlots() {}

    static void attentionScaling(AttentionScaling.Result r, Path dir) {
        for (String sweep : List.of("N", "D")) {
            String x = sweep.equals("N") ? "N (tokens), D = M = " + r.options().timing().fixedD() : "D = M, N = " + r.options().timing().fixedN();
            save(logLog("Attention time vs " + sweep, x, "seconds per call",
                    series(r.rows(), row -> row.sweep().equals(sweep) && row.seconds() != null,
                            row -> row.kernel() + " " + row.mode(), row -> sweep.equals("N") ? row.n() : row.d(),
                            row -> row.seconds().median())), dir.resolve("attention-time-vs-" + sweep));
            save(logLog("Attention peak memory vs " + sweep, x, "peak bytes (fresh JVM)",
                    series(r.rows(), row -> row.sweep().equals(sweep) && row.peakBytes() != null && row.peakBytes() > 0,
                            row -> row.kernel() + " " + row.mode(), row -> sweep.equals("N") ? row.n() : row.d(),
                            row -> row.peakBytes().doubleValue())), dir.resolve("attention-memory-vs-" + sweep));
        }
    }

    static void decode(DecodeBenchmark.Result r, Path dir) {
        String sizes = "(B=" + r.options().batch() + ", d=" + r.options().modelDim() + ", h=" + r.options().heads() + ")";
        save(logLog("Decode step time vs context length " + sizes, "n (tokens in the state)", "seconds per token (median of rounds)",
                series(r.rows(), row -> true, row -> row.variant() + " (g=" + row.kvHeads() + ")", DecodeBenchmark.Row::n,
                        row -> row.seconds().median())), dir.resolve("decode-time"));
        save(logLog("Decode state bytes vs context length " + sizes, "n (tokens in the state)", "state bytes",
                series(r.rows(), row -> true, row -> row.variant() + " (g=" + row.kvHeads() + ")", DecodeBenchmark.Row::n,
                        row -> (double) row.stateBytes())), dir.resolve("decode-state-bytes"));
    }

    static void train(TrainBenchmark.Result r, Path dir) {
        CategoryChart chart = new CategoryChartBuilder().width(700).height(450).title("Training steps/s (argmax-stall sizes)")
                .xAxisTitle("attention block").yAxisTitle("steps per second").build();
        chart.getStyler().setLegendVisible(false);
        chart.addSeries("steps/s", r.rows().stream().map(TrainBenchmark.Row::model).toList(),
                r.rows().stream().map(TrainBenchmark.Row::stepsPerSecond).toList());
        save(chart, dir.resolve("train-steps-per-second"));
    }

    private static <T> Map<String, List<double[]>> series(List<T> rows, Predicate<T> keep, Function<T, String> name,
                                                          Function<T, Number> x, Function<T, Double> y) {
        Map<String, List<double[]>> out = new LinkedHashMap<>();
        for (T row : rows) {
            if (keep.test(row)) {
                out.computeIfAbsent(name.apply(row), k -> new ArrayList<>()).add(new double[] {x.apply(row).doubleValue(), y.apply(row)});
            }
        }
        return out;
    }

    private static XYChart logLog(String title, String xTitle, String yTitle, Map<String, List<double[]>> series) {
        XYChart chart = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        chart.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true);
        series.forEach((name, points) -> chart.addSeries(name,
                points.stream().mapToDouble(p -> p[0]).toArray(), points.stream().mapToDouble(p -> p[1]).toArray()));
        return chart;
    }

    private static void save(Chart<?, ?> chart, Path base) {
        if (chart instanceof XYChart xy && xy.getSeriesMap().isEmpty()) {
            return; // nothing measured (e.g. memory off in quick mode)
        }
        try {
            BitmapEncoder.saveBitmap(chart, base + ".png", BitmapEncoder.BitmapFormat.PNG);
            VectorGraphicsEncoder.saveVectorGraphic(chart, base + ".svg", VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write plot " + base, e);
        }
    }
}
