package attentionlab.experiments.compare;

import attentionlab.experiments.core.UserError;
import attentionlab.experiments.layout.MetricColumns;
import attentionlab.experiments.layout.MetricsCsv;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A run's {@code metrics.csv} (wide: {@code step, wall_time_s, <metric>...}; an empty cell means "not
 * logged at this step"), read into memory by {@link MetricsCsv}.
 */
public final class MetricsTable {

    private final List<String> columns;
    private final List<Double[]> rows; // null cell = not logged (a logged NaN stays NaN)

    private MetricsTable(List<String> columns, List<Double[]> rows) {
        this.columns = columns;
        this.rows = rows;
    }

    /**
     * @throws UserError if the file is damaged ({@link MetricsCsv#read}) or has rows but not one finite
     *     metric value in them (only NaN or empty cells)
     */
    public static MetricsTable read(Path csv) {
        MetricsCsv.Table table = MetricsCsv.read(csv);
        MetricsTable metrics = new MetricsTable(table.columns(), table.rows());
        if (!table.rows().isEmpty() && !metrics.hasFiniteValue()) {
            throw new UserError(csv + ": " + table.rows().size() + " rows but no finite value in any metric column"
                    + " (every cell is NaN or empty)");
        }
        return metrics;
    }

    private boolean hasFiniteValue() {
        for (Double[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                if (row[c] != null && Double.isFinite(row[c]) && MetricColumns.isMetric(columns.get(c))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Column names in file order (including step and wall_time_s). */
    public List<String> columns() {
        return Collections.unmodifiableList(columns);
    }

    /** The metric columns: every column except step and wall_time_s. */
    public List<String> metrics() {
        return columns.stream().filter(MetricColumns::isMetric).toList();
    }

    public boolean has(String column) {
        return columns.contains(column);
    }

    /**
     * The logged (non-empty) cells of one column against step, in step order; a step logged twice
     * (a resumed run) keeps its last value. Empty if the column does not exist.
     */
    public Series series(String column) {
        int c = columns.indexOf(column);
        TreeMap<Double, Double> byStep = new TreeMap<>();
        if (c >= 0) {
            for (Double[] row : rows) {
                if (row[c] != null && row[0] != null) {
                    byStep.put(row[0], row[c]);
                }
            }
        }
        double[] steps = new double[byStep.size()];
        double[] values = new double[byStep.size()];
        int n = 0;
        for (Map.Entry<Double, Double> e : byStep.entrySet()) {
            steps[n] = e.getKey();
            values[n++] = e.getValue();
        }
        return new Series(steps, values);
    }
}
