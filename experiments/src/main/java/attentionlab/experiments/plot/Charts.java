package attentionlab.experiments.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The one place that styles and saves charts (headless XChart), for compare, bench and the claims
 * alike: white background, light solid grid, colour-blind safe colours, legend on the right. Every
 * figure is written as PNG and SVG with the same base name. Plotting only reads measurements;
 * nothing here runs during training.
 *
 * <p>Set log axes as usual ({@code getStyler().setYAxisLogarithmic(true)}); {@link #save} labels
 * their ticks ({@link AxisTicks}), draws the floor given to {@link #zeroFloor} as "0" and keeps the
 * SVG small ({@link SvgCompaction}). Long curves are thinned when added ({@link Decimation}).
 */
public final class Charts {

    /** Series colours, colour-blind safe (Okabe-Ito), in the order groups are drawn. */
    private static final Color[] PALETTE = {
        new Color(0, 114, 178), new Color(213, 94, 0), new Color(0, 158, 115), new Color(204, 121, 167),
        new Color(230, 159, 0), new Color(86, 180, 233), new Color(120, 120, 120), new Color(0, 0, 0)
    };
    private static final Color GRID = new Color(225, 225, 225);

    /** What a chart needs at save time beyond its series: the zero floor and notes in data coordinates. */
    private static final class Extras {
        double zeroFloor = Double.NaN;
        final List<double[]> notePositions = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        boolean prepared;
    }

    private static final Map<Chart<?, ?>, Extras> EXTRAS = Collections.synchronizedMap(new WeakHashMap<>());

    private Charts() {}

    public static Color color(int index) {
        return PALETTE[Math.floorMod(index, PALETTE.length)];
    }

    /** A translucent form of a colour (alpha 0-255). */
    public static Color translucent(Color color, int alpha) {
        return new Color(color.getRed(), color.getGreen(), color.getBlue(), alpha);
    }

    /** A white 800x500 line chart with the legend outside the plot. */
    public static XYChart lineChart(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle)
                .theme(Styler.ChartTheme.XChart).build();
        style(chart.getStyler());
        chart.getStyler().setMarkerSize(8);
        return chart;
    }

    /** A white bar chart in the same style (one colour per series). */
    public static CategoryChart barChart(String title, String xTitle, String yTitle) {
        CategoryChart chart = new CategoryChartBuilder().width(800).height(500).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle)
                .theme(Styler.ChartTheme.XChart).build();
        style(chart.getStyler());
        chart.getStyler().setSeriesColors(PALETTE);
        return chart;
    }

    private static void style(AxesChartStyler styler) {
        styler.setChartBackgroundColor(Color.WHITE)
                .setPlotBackgroundColor(Color.WHITE)
                .setLegendPosition(Styler.LegendPosition.OutsideE)
                .setLegendBorderColor(GRID)
                .setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 14))
                .setAntiAlias(true);
        styler.setPlotGridLinesColor(GRID);
        styler.setPlotGridLinesStroke(new BasicStroke(0.8f));
        styler.setPlotBorderColor(new Color(170, 170, 170));
        styler.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        styler.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        styler.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    }

    /** A plain line (no markers) in the given colour; long curves are decimated. */
    public static XYSeries line(XYChart chart, String name, double[] x, double[] y, Color color) {
        int[] keep = Decimation.keep(x, y);
        XYSeries s = chart.addSeries(name, Decimation.pick(x, keep), Decimation.pick(y, keep));
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(color);
        s.setLineWidth(2f);
        return s;
    }

    /** A thin translucent line, not in the legend: one seed under its group's mean, as W&amp;B draws groups. */
    public static XYSeries thinLine(XYChart chart, String name, double[] x, double[] y, Color color) {
        XYSeries s = line(chart, name, x, y, translucent(color, 110));
        s.setLineWidth(0.8f);
        s.setShowInLegend(false);
        return s;
    }

    /** Points only, in the given colour. */
    public static XYSeries points(XYChart chart, String name, double[] x, double[] y, Color color) {
        return markers(chart, name, x, y, color, SeriesMarkers.CIRCLE);
    }

    /** Points with the given marker shape (e.g. {@link SeriesMarkers#CROSS} where a run ended early). */
    public static XYSeries markers(XYChart chart, String name, double[] x, double[] y, Color color, Marker marker) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        s.setMarker(marker);
        s.setMarkerColor(color);
        return s;
    }

    /**
     * Points with vertical error bars from {@code lower} to {@code upper} (any spread: min-max, a
     * confidence interval, +-1 std), drawn as segments so that they stay right on log axes.
     */
    public static XYSeries errorBars(XYChart chart, String name, double[] x, double[] y, double[] lower, double[] upper,
                                     Color color) {
        int n = x.length;
        double[] bx = new double[3 * n];
        double[] by = new double[3 * n];
        for (int i = 0; i < n; i++) {
            bx[3 * i] = x[i];
            bx[3 * i + 1] = x[i];
            bx[3 * i + 2] = x[i];
            by[3 * i] = lower[i];
            by[3 * i + 1] = upper[i];
            by[3 * i + 2] = Double.NaN; // a gap between bars
        }
        XYSeries bars = chart.addSeries(name + " (spread)", bx, by);
        bars.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        bars.setMarker(SeriesMarkers.NONE);
        bars.setLineColor(color);
        bars.setLineWidth(1.2f);
        bars.setShowInLegend(false);
        return points(chart, name, x, y, color);
    }

    /** A dashed reference line (a prediction or a floor). */
    public static XYSeries dashed(XYChart chart, String name, double[] x, double[] y, Color color) {
        XYSeries s = line(chart, name, x, y, color);
        s.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        return s;
    }

    /**
     * A filled band between {@code lower} and {@code upper} over {@code x}, drawn as one closed polygon
     * (upper left to right, then lower right to left), translucent, not in the legend.
     */
    public static XYSeries band(XYChart chart, String name, double[] x, double[] lower, double[] upper, Color color) {
        int[] keep = Decimation.keep(x, lower, upper);
        int n = keep.length;
        double[] px = new double[2 * n];
        double[] py = new double[2 * n];
        for (int j = 0; j < n; j++) {
            int i = keep[j];
            px[j] = x[i];
            py[j] = upper[i];
            px[2 * n - 1 - j] = x[i];
            py[2 * n - 1 - j] = lower[i];
        }
        XYSeries s = chart.addSeries(name, px, py);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
        s.setMarker(SeriesMarkers.NONE);
        Color fill = translucent(color, 50);
        s.setFillColor(fill);
        s.setLineColor(fill);
        s.setLineWidth(0.5f);
        s.setShowInLegend(false);
        return s;
    }

    /** A short text at a data point (placed correctly on log axes too). */
    public static void note(XYChart chart, String text, double x, double y) {
        Extras e = extras(chart);
        e.notes.add(text);
        e.notePositions.add(new double[] {x, y});
    }

    /**
     * On a logarithmic y axis, marks the floor where exact zeros are drawn: a dashed grey line at
     * {@code floor} across [xMin, xMax], and the axis labels that height "0" (so {@code floor} should be
     * a power of ten, as {@link #logFloor} returns).
     *
     * @param legend the line's legend entry, e.g. "exact 0 (drawn on this floor)"
     */
    public static void zeroFloor(XYChart chart, double floor, double xMin, double xMax, String legend) {
        double right = xMax > xMin ? xMax : xMin + 1;
        dashed(chart, legend, new double[] {xMin, right}, new double[] {floor, floor}, Color.GRAY);
        extras(chart).zeroFloor = floor;
    }

    public static void zeroFloor(XYChart chart, double floor, double xMin, double xMax) {
        zeroFloor(chart, floor, xMin, xMax, "exact 0 (drawn on the floor, axis label 0)");
    }

    /**
     * The floor for exact zeros on a log axis: one decade below the smallest positive value (1e-12 when
     * nothing is positive).
     */
    public static double logFloor(double smallestPositive) {
        if (!(smallestPositive > 0) || Double.isInfinite(smallestPositive)) {
            return 1e-12;
        }
        return Math.pow(10, Math.floor(Math.log10(smallestPositive)) - 1);
    }

    /**
     * Writes {@code dir/name.png} and {@code dir/name.svg}. An XY chart gets its final axes first
     * (log axes labelled, the zero floor as "0", round tick values), once.
     *
     * @return the two files, PNG first
     */
    public static List<Path> save(Chart<?, ?> chart, Path dir, String name) {
        if (chart instanceof XYChart xy) {
            prepare(xy);
        }
        try {
            Files.createDirectories(dir);
            Path png = dir.resolve(name + ".png");
            Path svg = dir.resolve(name + ".svg");
            BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
            ByteArrayOutputStream vector = new ByteArrayOutputStream();
            VectorGraphicsEncoder.saveVectorGraphic(chart, vector, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            Files.writeString(svg, SvgCompaction.compact(vector.toString(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
            List<Path> files = new ArrayList<>();
            files.add(png);
            files.add(svg);
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write chart " + dir.resolve(name), e);
        }
    }

    private static void prepare(XYChart chart) {
        Extras e = extras(chart);
        if (e.prepared) {
            return;
        }
        e.prepared = true;
        boolean logX = chart.getStyler().isXAxisLogarithmic();
        boolean logY = chart.getStyler().isYAxisLogarithmic();
        AxisTicks.apply(chart, e.zeroFloor);
        double lift = 0.035 * yRange(chart); // a note sits just above its point, not on the line
        for (int i = 0; i < e.notes.size(); i++) {
            double[] at = e.notePositions.get(i);
            double x = logX ? Math.log10(at[0]) : at[0];
            double y = logY ? Math.log10(at[1]) : at[1];
            if (Double.isFinite(x) && Double.isFinite(y)) {
                chart.addAnnotation(new AnnotationText(e.notes.get(i), x, y + lift, false));
            }
        }
    }

    /** max - min of every finite y value drawn (0 when there is none). */
    private static double yRange(XYChart chart) {
        double[] all = chart.getSeriesMap().values().stream().flatMapToDouble(s -> java.util.Arrays.stream(s.getYData()))
                .filter(Double::isFinite).toArray();
        return all.length == 0 ? 0 : java.util.Arrays.stream(all).max().getAsDouble() - java.util.Arrays.stream(all).min().getAsDouble();
    }

    private static Extras extras(Chart<?, ?> chart) {
        return EXTRAS.computeIfAbsent(chart, c -> new Extras());
    }

    /** A file-name-safe form of a metric or label: "grad_norm/layer0_W_q" -> "grad_norm-layer0_W_q". */
    public static String fileName(String label) {
        return label.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^-+|-+$", "");
    }
}
