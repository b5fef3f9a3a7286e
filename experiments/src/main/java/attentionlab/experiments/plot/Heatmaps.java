package attentionlab.experiments.plot;

import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.style.HeatMapStyler;
import org.knowm.xchart.style.Styler;

/**
 * Heatmaps of values in [0, 1] (attention weights) in the style of {@link Charts}: white to the
 * palette's blue, the value printed in each cell, and cells that are exactly 0 left undrawn so that
 * the grey plot background shows through (an exact zero and 0.001 look different). Saved as a grid of
 * panels, one PNG and one SVG per figure.
 */
public final class Heatmaps {

    /** The background exact zeros show. */
    public static final Color EXACT_ZERO = new Color(215, 215, 215);
    /** Beyond this many columns the cell values are not printed (they would not fit). */
    private static final int MAX_PRINTED_COLUMNS = 12;

    private Heatmaps() {}

    /**
     * One panel.
     *
     * @param values rows x columns, drawn with row 0 at the top
     * @param rows the row labels (top to bottom), columns the column labels (left to right)
     * @param legend whether to draw the colour bar
     */
    public static HeatMapChart heatmap(String title, String xTitle, String yTitle, List<String> columns, List<String> rows,
                                       float[][] values, boolean legend) {
        int cellPixels = Math.max(28, Math.min(48, 420 / Math.max(columns.size(), rows.size())));
        HeatMapChart chart = new HeatMapChartBuilder().title(title).xAxisTitle(xTitle).yAxisTitle(yTitle)
                .width(cellPixels * columns.size() + (legend ? 200 : 130)).height(cellPixels * rows.size() + 130)
                .theme(Styler.ChartTheme.Matlab).build();
        HeatMapStyler styler = chart.getStyler();
        styler.setMin(0).setMax(1).setRangeColors(new Color[] {Color.WHITE, Charts.color(0)});
        styler.setShowValue(columns.size() <= MAX_PRINTED_COLUMNS).setHeatMapValueDecimalPattern("0.00")
                .setValueFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        styler.setLegendVisible(legend);
        styler.setPlotGridLinesVisible(false);
        styler.setPlotContentSize(1.0);
        styler.setChartBackgroundColor(Color.WHITE).setPlotBackgroundColor(EXACT_ZERO)
                .setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 12)).setAntiAlias(true);
        styler.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        List<Number[]> cells = new ArrayList<>();
        int n = rows.size();
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < columns.size(); c++) {
                if (values[r][c] != 0) { // exact zeros are not drawn
                    cells.add(new Number[] {c, n - 1 - r, values[r][c]}); // XChart's row 0 is the bottom one
                }
            }
        }
        if (cells.isEmpty()) {
            cells.add(new Number[] {0, 0, 0}); // XChart needs one cell; a 0 cell is drawn white
        }
        List<String> bottomUp = new ArrayList<>(rows);
        java.util.Collections.reverse(bottomUp);
        chart.addSeries("weights", columns, bottomUp, cells);
        return chart;
    }

    /**
     * Writes {@code dir/name.png} and {@code dir/name.svg}: the panels in a grid, row by row
     * ({@code columns} per row), each row as tall as its tallest panel.
     *
     * @return the two files, PNG first
     */
    public static List<Path> saveGrid(List<HeatMapChart> panels, int columns, Path dir, String name) {
        Grid grid = new Grid(panels, columns);
        Path png = dir.resolve(name + ".png");
        Path svg = dir.resolve(name + ".svg");
        try {
            Files.createDirectories(dir);
            BufferedImage image = new BufferedImage(grid.width(), grid.height(), BufferedImage.TYPE_INT_RGB);
            Graphics2D g = image.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            grid.paint(g);
            g.dispose();
            ImageIO.write(image, "png", png.toFile());
            VectorGraphics2D vector = new VectorGraphics2D();
            grid.paint(vector);
            try (OutputStream out = Files.newOutputStream(svg)) {
                new SVGProcessor().getDocument(vector.getCommands(), new PageSize(grid.width(), grid.height())).writeTo(out);
            }
            return List.of(png, svg);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write figure " + dir.resolve(name), e);
        }
    }

    /** Panels laid out row by row. */
    private record Grid(List<HeatMapChart> panels, int columns) {

        int width() {
            int widest = 0;
            for (int start = 0; start < panels.size(); start += columns) {
                int w = 0;
                for (HeatMapChart p : row(start)) {
                    w += p.getWidth();
                }
                widest = Math.max(widest, w);
            }
            return widest;
        }

        int height() {
            int h = 0;
            for (int start = 0; start < panels.size(); start += columns) {
                h += row(start).stream().mapToInt(HeatMapChart::getHeight).max().orElse(0);
            }
            return h;
        }

        void paint(Graphics2D g) {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width(), height());
            int y = 0;
            for (int start = 0; start < panels.size(); start += columns) {
                int x = 0;
                for (HeatMapChart p : row(start)) {
                    Graphics2D panel = (Graphics2D) g.create(x, y, p.getWidth(), p.getHeight());
                    p.paint(panel, p.getWidth(), p.getHeight());
                    panel.dispose();
                    x += p.getWidth();
                }
                y += row(start).stream().mapToInt(HeatMapChart::getHeight).max().orElse(0);
            }
        }

        private List<HeatMapChart> row(int start) {
            return panels.subList(start, Math.min(start + columns, panels.size()));
        }
    }
}
