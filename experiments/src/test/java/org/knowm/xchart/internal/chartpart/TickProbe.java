package org.knowm.xchart.internal.chartpart;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Test-only: the tick labels XChart draws on a chart's axes (XChart keeps its axes package-private,
 * hence this class in XChart's package). Paints the chart once to lay it out.
 */
public final class TickProbe {

    private TickProbe() {}

    /** The labels drawn on the x axis (inside the plot's width), left to right. */
    public static List<String> xLabels(Chart<?, ?> chart) {
        paint(chart);
        return visible(chart.getXAxis(), chart.getXAxis().getBounds().getWidth());
    }

    /** The labels drawn on the y axis (inside the plot's height), bottom to top. */
    public static List<String> yLabels(Chart<?, ?> chart) {
        paint(chart);
        return visible(chart.getYAxis(), chart.getYAxis().getBounds().getHeight());
    }

    private static void paint(Chart<?, ?> chart) {
        BufferedImage image = new BufferedImage(chart.getWidth(), chart.getHeight(), BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        chart.paint(g, chart.getWidth(), chart.getHeight());
        g.dispose();
    }

    private static List<String> visible(Axis axis, double extent) {
        AxisTickCalculator ticks = axis.getAxisTickCalculator();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < ticks.getTickLabels().size(); i++) {
            double at = ticks.getTickLocations().get(i);
            String label = ticks.getTickLabels().get(i);
            if (label != null && at > 0 && at < extent) {
                out.add(label);
            }
        }
        return out;
    }
}
