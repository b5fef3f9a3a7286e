package attentionlab.experiments.train.listeners;

import attentionlab.experiments.layout.MetricColumns;
import attentionlab.experiments.layout.RunStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The short table printed when a run or an experiment ends, as summary.md has it: variant, seed,
 * status, the last step and the last value of the headline metrics. Fits 72 columns.
 */
public final class ResultsTable {

    /** The metrics shown, with their column titles. */
    static final Map<String, String> COLUMNS = Map.of(MetricColumns.TRAIN_LOSS, "train/loss", MetricColumns.VAL_LOSS, "val/loss",
            MetricColumns.VAL_ACCURACY, "val/acc");
    static final List<String> ORDER = List.of(MetricColumns.TRAIN_LOSS, MetricColumns.VAL_LOSS, MetricColumns.VAL_ACCURACY);

    /**
     * One run's line.
     *
     * @param last the last finite value of each metric in {@link #ORDER} (NaN if none)
     */
    public record Row(String variant, long seed, RunStatus status, int steps, double[] last) {}

    private ResultsTable() {}

    /** The header and one line per row, columns padded to the widest cell. */
    public static List<String> lines(List<Row> rows) {
        List<String[]> cells = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("variant", "seed", "status", "step"));
        ORDER.forEach(m -> header.add(COLUMNS.get(m)));
        cells.add(header.toArray(String[]::new));
        for (Row r : rows) {
            List<String> line = new ArrayList<>(List.of(r.variant(), Long.toString(r.seed()), r.status().label(), Integer.toString(r.steps())));
            for (double v : r.last()) {
                line.add(Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4g", v));
            }
            cells.add(line.toArray(String[]::new));
        }
        int[] width = new int[header.size()];
        for (String[] line : cells) {
            for (int c = 0; c < line.length; c++) {
                width[c] = Math.max(width[c], line[c].length());
            }
        }
        List<String> out = new ArrayList<>();
        for (String[] line : cells) {
            StringBuilder s = new StringBuilder();
            for (int c = 0; c < line.length; c++) {
                boolean text = c == 0 || c == 2;
                String pad = " ".repeat(width[c] - line[c].length());
                s.append(c == 0 ? "" : "  ").append(text ? line[c] + pad : pad + line[c]);
            }
            out.add(s.toString().stripTrailing());
        }
        return out;
    }
}
