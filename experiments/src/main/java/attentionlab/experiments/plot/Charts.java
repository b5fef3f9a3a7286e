package attentionlab.experiments.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The one place that styles and saves charts (headless XChart): every figure is written as PNG and
 * SVG with the same base name. Plotting only reads measurements; nothing here runs during training.
 */
public final class Charts {

    /** Series colours, colour-blind safe (Okabe-Ito), in the order groups are drawn. */
    private static final Color[] PALETTE = {
        new Color(0, 114, 178), new Color(213, 94, 0), new Color(0, 158, 115), new Color(204, 121, 167),
        new Color(230, 159, 0), new Color(86, 180, 233), new Color(120, 120, 120), new Color(0, 0, 0)
    };

    private Charts() {}

    public static Color color(int index) {
        return PALETTE[Math.floorMod(index, PALETTE.length)];
    }

    /** A white 800x500 line chart with the legend outside the plot. */
    public static XYChart lineChart(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle)
                .theme(Styler.ChartTheme.Matlab).build();
        chart.getStyler()
                .setChartBackgroundColor(Color.WHITE)
                .setPlotBackgroundColor(Color.WHITE)
                .setLegendPosition(Styler.LegendPosition.OutsideE)
                .setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 14))
                .setAntiAlias(true);
        chart.getStyler().setMarkerSize(4);
        return chart;
    }

    /** A plain line (no markers) in the given colour. */
    public static XYSeries line(XYChart chart, String name, double[] x, double[] y, Color color) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(color);
        s.setLineWidth(2f);
        return s;
    }

    /** Points only, in the given colour. */
    public static XYSeries points(XYChart chart, String name, double[] x, double[] y, Color color) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setMarkerColor(color);
        return s;
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
        int n = x.length;
        double[] px = new double[2 * n];
        double[] py = new double[2 * n];
        for (int i = 0; i < n; i++) {
            px[i] = x[i];
            py[i] = upper[i];
            px[2 * n - 1 - i] = x[i];
            py[2 * n - 1 - i] = lower[i];
        }
        XYSeries s = chart.addSeries(name, px, py);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
        s.setMarker(SeriesMarkers.NONE);
        Color translucent = new Color(color.getRed(), color.getGreen(), color.getBlue(), 50);
        s.setFillColor(translucent);
        s.setLineColor(translucent);
        s.setLineWidth(0.5f);
        s.setShowInLegend(false);
        return s;
    }

    /**
     * On a logarithmic y axis, marks the floor line where exact zeros are drawn: a dashed grey line at
     * {@code floor} across [xMin, xMax] labelled "0".
     *
     * @param legend the line's legend entry, e.g. "exact 0 (drawn on this floor)"
     */
    public static void zeroFloor(XYChart chart, double floor, double xMin, double xMax, String legend) {
        double right = xMax > xMin ? xMax : xMin + 1;
        dashed(chart, legend, new double[] {xMin, right}, new double[] {floor, floor}, Color.GRAY);
        // the label sits just above the line, a little right of the y axis (log axis: x1.3 is a ninth of a decade)
        boolean logX = chart.getStyler().isXAxisLogarithmic();
        double x = logX ? xMin * Math.pow(right / xMin, 0.02) : xMin + 0.02 * (right - xMin);
        chart.addAnnotation(new AnnotationText("0", x, floor * 1.3, false));
    }

    public static void zeroFloor(XYChart chart, double floor, double xMin, double xMax) {
        zeroFloor(chart, floor, xMin, xMax, "exact 0 (drawn on this floor)");
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
     * Writes {@code dir/name.png} and {@code dir/name.svg}.
     *
     * @return the two files, PNG first
     */
    public static List<Path> save(XYChart chart, Path dir, String name) {
        try {
            Files.createDirectories(dir);
            Path png = dir.resolve(name + ".png");
            Path svg = dir.resolve(name + ".svg");
            BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
            VectorGraphicsEncoder.saveVectorGraphic(chart, svg.toString(), VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            List<Path> files = new ArrayList<>();
            files.add(png);
            files.add(svg);
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write chart " + dir.resolve(name), e);
        }
    }

    /** A file-name-safe form of a metric or label: "grad_norm/layer0_W_q" -> "grad_norm-layer0_W_q". */
    public static String fileName(String label) {
        return label.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^-+|-+$", "");
    }
}
