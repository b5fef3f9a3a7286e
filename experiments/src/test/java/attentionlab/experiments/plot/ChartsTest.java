package attentionlab.experiments.plot;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.internal.chartpart.TickProbe;

/** The one chart style: labelled log axes, the zero floor read as 0, round step ticks, small SVGs. */
class ChartsTest {

    @TempDir
    Path tmp;

    private static double[] steps(int n) {
        return IntStream.range(0, n).asDoubleStream().toArray();
    }

    /** A curve within less than a decade gets labels (XChart labels decades only). */
    @Test
    void aLogAxisSpanningLessThanADecadeIsLabelled() throws Exception {
        XYChart chart = Charts.lineChart("t", "step", "g");
        double[] x = steps(50);
        Charts.line(chart, "g", x, IntStream.range(0, 50).mapToDouble(i -> 0.002 + 0.0001 * i).toArray(), Color.BLUE);
        chart.getStyler().setYAxisLogarithmic(true);
        Charts.save(chart, tmp, "g");
        List<String> labels = TickProbe.yLabels(chart);
        assertThat(labels.size()).isGreaterThanOrEqualTo(3);
        assertThat(labels).allSatisfy(l -> assertThat(Double.parseDouble(l)).isBetween(0.0015, 0.0075));
    }

    /** A flat curve on a log axis (a constant learning rate) still gets distinct labels around it. */
    @Test
    void aFlatCurveOnALogAxisIsLabelledAroundIt() throws Exception {
        XYChart chart = Charts.lineChart("t", "step", "lr");
        Charts.line(chart, "lr", steps(10), IntStream.range(0, 10).mapToDouble(i -> 0.001 * (1 + 1e-7 * i)).toArray(), Color.BLUE);
        chart.getStyler().setYAxisLogarithmic(true);
        Charts.save(chart, tmp, "flat");
        List<String> labels = TickProbe.yLabels(chart);
        assertThat(labels).hasSizeGreaterThanOrEqualTo(2).doesNotHaveDuplicates();
        assertThat(labels).allSatisfy(l -> assertThat(Double.parseDouble(l)).isBetween(0.0006, 0.0016));
    }

    /** Exact zeros drawn on the floor read "0" on the axis, not the floor's value 1e-04. */
    @Test
    void theZeroFloorIsLabelledZeroAndDecadesAreLabelledOverManyDecades() throws Exception {
        XYChart chart = Charts.lineChart("t", "step", "g");
        double[] x = steps(100);
        Charts.line(chart, "g", x, IntStream.range(0, 100).mapToDouble(i -> Math.pow(10, -i / 25.0)).toArray(), Color.BLUE);
        double floor = Charts.logFloor(Math.pow(10, -99 / 25.0)); // 1e-5
        Charts.line(chart, "zero", x, new double[100], Color.RED);
        chart.getSeriesMap().get("zero").replaceData(x, java.util.Arrays.stream(new double[100]).map(v -> floor).toArray(), null);
        Charts.zeroFloor(chart, floor, 0, 99);
        chart.getStyler().setYAxisLogarithmic(true);
        Charts.save(chart, tmp, "z");
        assertThat(TickProbe.yLabels(chart)).containsExactly("0", "1e-04", "0.001", "0.01", "0.1", "1");
    }

    /** Steps 0, 1, ..., 200 get ticks at round values, not every k-th step (0, 14, 28, ...). */
    @Test
    void stepTicksAreRoundNumbers() throws Exception {
        XYChart chart = Charts.lineChart("t", "step", "loss");
        Charts.line(chart, "loss", steps(201), IntStream.range(0, 201).mapToDouble(i -> 2 - i / 200.0).toArray(), Color.BLUE);
        Charts.save(chart, tmp, "s");
        assertThat(TickProbe.xLabels(chart)).isNotEmpty()
                .allSatisfy(l -> assertThat(Double.parseDouble(l) % 20).isZero());
    }

    /** Powers of two on a log x axis label themselves. */
    @Test
    void powersOfTwoOnALogXAxisAreTheTicks() throws Exception {
        XYChart chart = Charts.lineChart("t", "N", "seconds");
        double[] n = {64, 128, 256, 512, 1024};
        Charts.points(chart, "t", n, new double[] {1e-4, 3e-4, 1e-3, 4e-3, 1.6e-2}, Color.BLUE);
        chart.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true);
        Charts.save(chart, tmp, "p");
        assertThat(TickProbe.xLabels(chart)).contains("128", "256", "512");
        assertThat(TickProbe.yLabels(chart)).isNotEmpty();
    }

    @Test
    void tickLabelsHaveThreeSignificantDigits() {
        assertThat(AxisTicks.label(0.001)).isEqualTo("0.001");
        assertThat(AxisTicks.label(127.99999)).isEqualTo("128");
        assertThat(AxisTicks.label(Math.pow(10, 0.2))).isEqualTo("1.58");
        assertThat(AxisTicks.label(2.5e-5)).isEqualTo("2.5e-05");
        assertThat(AxisTicks.label(1e6)).isEqualTo("1e+06");
        assertThat(AxisTicks.label(0)).isEqualTo("0");
    }

    /** Ten seeds of 2000 steps: the SVG stays a few hundred KB (XChart alone writes megabytes). */
    @Test
    void longCurvesMakeSmallSvgsThatKeepTheirSpikes() throws Exception {
        XYChart chart = Charts.lineChart("t", "step", "loss");
        double[] x = steps(2000);
        for (int s = 0; s < 10; s++) {
            int seed = s;
            double[] y = IntStream.range(0, 2000).mapToDouble(i -> 2 + Math.sin(i * 0.37 + seed)).toArray();
            y[1234] = 40; // a spike the decimation must keep
            Charts.thinLine(chart, "s" + s, x, y, Charts.color(0));
        }
        assertThat(chart.getSeriesMap().get("s0").getYData()).contains(40).hasSizeLessThanOrEqualTo(2 * Decimation.BUCKETS + 2);
        Path svg = Charts.save(chart, tmp, "big").get(1);
        assertThat(Files.size(svg)).isLessThan(400_000);
        assertThat(Files.readString(svg)).doesNotContain("<line ").contains("<path");
    }

    @Test
    void svgCompactionJoinsSegmentsOfOneStyleAndRoundsNumbers() {
        String lines = "<line style=\"a\" x1=\"1.23456\" x2=\"2\" y1=\"3\" y2=\"4\"/>\n    "
                + "<line style=\"a\" x1=\"2\" x2=\"5\" y1=\"4\" y2=\"6.789\"/>\n    "
                + "<line style=\"b\" x1=\"5\" x2=\"7\" y1=\"6.789\" y2=\"8\"/>";
        assertThat(SvgCompaction.compact(lines))
                .isEqualTo("<path style=\"a\" d=\"M1.23,3 L2,4 L5,6.79\"/>\n    <path style=\"b\" d=\"M5,6.79 L7,8\"/>");
    }
}
