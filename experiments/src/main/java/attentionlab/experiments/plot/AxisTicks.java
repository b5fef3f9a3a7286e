package attentionlab.experiments.plot;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Readable axes for XChart, applied once when a figure is saved.
 *
 * <p><b>Logarithmic axes.</b> XChart labels only whole decades of a log axis, so a curve spanning less
 * than a decade gets no label at all, and it cannot print an exact-zero floor as "0". Here a log axis
 * is drawn as a linear axis of log10 values with labels 10^v: ticks fall on whole decades when the
 * data span three decades or more (else on 10^(k/10) or 10^(k/5), 1, 1.58, 2.51, ...), and the
 * zero floor's tick reads "0".
 *
 * <p><b>Round ticks.</b> When an axis' values are equally spaced (steps 1, 2, ..., 200), XChart puts
 * ticks on every k-th value (0, 14, 28, ...). A hidden one-point series with a NaN coordinate breaks
 * that spacing so XChart picks round numbers (0, 50, 100, ...); a log x axis keeps it, so that
 * powers of two (64, 128, 256) label themselves.
 */
final class AxisTicks {

    /** Name of the hidden series that makes XChart choose round tick values. */
    static final String ROUND_TICKS = "\u0000round-ticks";

    /** The least span of a log y axis, in decades. */
    private static final double MIN_DECADES = 0.3;

    private AxisTicks() {}

    /**
     * Rewrites the chart for saving: log axes become linear axes of log10 values with labelled ticks.
     *
     * @param zeroFloor the value drawn for exact zeros on a log y axis (labelled "0"), or NaN
     */
    static void apply(XYChart chart, double zeroFloor) {
        boolean logX = chart.getStyler().isXAxisLogarithmic();
        boolean logY = chart.getStyler().isYAxisLogarithmic();
        if (logX || logY) {
            toLog10(chart, logX, logY);
        }
        var styler = chart.getStyler();
        if (logY) {
            styler.setYAxisMin(log10(styler.getYAxisMin())).setYAxisMax(log10(styler.getYAxisMax()));
        }
        if (logX) {
            styler.setXAxisMin(log10(styler.getXAxisMin())).setXAxisMax(log10(styler.getXAxisMax()));
        }
        double floorTick = logY && zeroFloor > 0 ? Math.log10(zeroFloor) : Double.NaN;
        if (logY) {
            widen(chart);
            chart.getStyler().setYAxisLogarithmic(false);
            chart.getStyler().setyAxisTickLabelsFormattingFunction(logLabels(floorTick));
            chart.getStyler().setYAxisTickMarkSpacingHint(spacingHint(chart, false, chart.getStyler().getYAxisTickMarkSpacingHint()));
        }
        if (logX) {
            chart.getStyler().setXAxisLogarithmic(false);
            chart.getStyler().setxAxisTickLabelsFormattingFunction(logLabels(Double.NaN));
            chart.getStyler().setXAxisTickMarkSpacingHint(spacingHint(chart, true, chart.getStyler().getXAxisTickMarkSpacingHint()));
        }
        breakEqualSpacing(chart, !logX);
    }

    /** The label of a tick: 3 significant digits, plain from 0.001 to 99999, else mantissa and exponent (2.5e-05). */
    static String label(double v) {
        if (v == 0 || !Double.isFinite(v)) {
            return v == 0 ? "0" : Double.toString(v);
        }
        BigDecimal rounded = new BigDecimal(v).round(new MathContext(3));
        double a = Math.abs(rounded.doubleValue());
        if (a >= 1e-3 && a < 1e5) {
            return rounded.stripTrailingZeros().toPlainString();
        }
        int exponent = (int) Math.floor(Math.log10(a));
        BigDecimal mantissa = rounded.movePointLeft(exponent).stripTrailingZeros();
        return mantissa.toPlainString() + "e" + String.format(Locale.ROOT, "%+03d", exponent);
    }

    /** Labels of a log10 axis: 10^v, and "0" at the zero floor. Distinct for every tick, as XChart requires. */
    private static Function<Double, String> logLabels(double floorTick) {
        return v -> Math.abs(v - floorTick) < 1e-9 ? "0" : label(Math.pow(10, v));
    }

    private static void toLog10(XYChart chart, boolean logX, boolean logY) {
        for (XYSeries s : new ArrayList<>(chart.getSeriesMap().values())) {
            double[] x = logX ? log10(s.getXData()) : s.getXData();
            double[] y = logY ? log10(s.getYData()) : s.getYData();
            chart.updateXYSeries(s.getName(), x, y, logY ? null : s.getExtraValues());
        }
    }

    /** An axis limit set by the caller, in log10 units (null stays null). */
    private static Double log10(Double limit) {
        return limit == null ? null : Math.log10(limit);
    }

    private static double[] log10(double[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i] > 0 ? Math.log10(values[i]) : Double.NaN;
        }
        return out;
    }

    /**
     * XChart's tick spacing hint (pixels between ticks) that makes it choose whole decades when the
     * log10 values span 3 or more: the step it picks is about span x hint / axis length, rounded to 1, 2
     * or 5 times a power of ten; a ratio of 1.1 gives 1 decade even if the axis length is 30% off.
     */
    private static int spacingHint(XYChart chart, boolean x, int current) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (XYSeries s : chart.getSeriesMap().values()) {
            for (double v : x ? s.getXData() : s.getYData()) {
                if (Double.isFinite(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        double span = max - min;
        if (!(span >= 3)) {
            return current;
        }
        double axisPixels = x ? 0.6 * chart.getWidth() : chart.getHeight() - 110;
        return Math.max(current, (int) (1.1 * axisPixels / span));
    }

    /**
     * A log y axis spans at least 0.3 decades around its data (a flat curve would otherwise get ticks
     * closer than 3 significant digits can tell apart).
     */
    private static void widen(XYChart chart) {
        double[] y = chart.getSeriesMap().values().stream().flatMapToDouble(s -> java.util.Arrays.stream(s.getYData()))
                .filter(Double::isFinite).toArray();
        if (y.length == 0) {
            return;
        }
        double min = java.util.Arrays.stream(y).min().getAsDouble();
        double max = java.util.Arrays.stream(y).max().getAsDouble();
        if (max - min < MIN_DECADES) {
            double center = (min + max) / 2;
            chart.getStyler().setYAxisMin(center - MIN_DECADES / 2).setYAxisMax(center + MIN_DECADES / 2);
        }
    }

    /** Adds the hidden NaN series: y values never count as equally spaced; x values only when {@code x}. */
    private static void breakEqualSpacing(XYChart chart, boolean x) {
        if (chart.getSeriesMap().containsKey(ROUND_TICKS) || chart.getSeriesMap().isEmpty()) {
            return;
        }
        List<XYSeries> series = new ArrayList<>(chart.getSeriesMap().values());
        double anyX = Double.NaN;
        double anyY = Double.NaN;
        for (XYSeries s : series) {
            for (int i = 0; i < s.getXData().length; i++) {
                if (Double.isFinite(s.getXData()[i]) && Double.isFinite(s.getYData()[i])) {
                    anyX = s.getXData()[i];
                    anyY = s.getYData()[i];
                }
            }
        }
        if (Double.isNaN(anyX)) {
            return;
        }
        XYSeries hidden = chart.addSeries(ROUND_TICKS, new double[] {x ? Double.NaN : anyX, anyX},
                new double[] {Double.NaN, x ? anyY : Double.NaN});
        hidden.setMarker(SeriesMarkers.NONE);
        hidden.setShowInLegend(false);
        hidden.setLineColor(new java.awt.Color(0, 0, 0, 0));
    }
}
