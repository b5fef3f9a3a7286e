package attentionlab.experiments.compare;

import attentionlab.experiments.core.UserError;
import attentionlab.experiments.layout.MetricColumns;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A run's {@code metrics.csv} (wide: {@code step, wall_time_s, <metric>...}; an empty cell means "not
 * logged at this step"), read into memory. A row cut short by an interrupted write is skipped.
 */
public final class MetricsTable {

    private final List<String> columns;
    private final List<Double[]> rows; // null cell = not logged (a logged NaN stays NaN)

    private MetricsTable(List<String> columns, List<Double[]> rows) {
        this.columns = columns;
        this.rows = rows;
    }

    /**
     * @throws UserError if the file is missing, empty or has no {@code step} column
     */
    public static MetricsTable read(Path csv) {
        List<String> lines;
        try {
            lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + csv, e);
        }
        if (lines.isEmpty() || lines.get(0).isBlank()) {
            throw new UserError(csv + ": empty metrics file (expected a header starting with '" + MetricColumns.STEP + "')");
        }
        List<String> columns = List.of(lines.get(0).trim().split(",", -1));
        if (!columns.get(0).equals(MetricColumns.STEP)) {
            throw new UserError(csv + ": first column is '" + columns.get(0) + "', expected '" + MetricColumns.STEP + "'");
        }
        List<Double[]> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.split(",", -1);
            if (cells.length != columns.size()) {
                continue; // a row being written when the run stopped
            }
            Double[] row = new Double[cells.length];
            try {
                for (int c = 0; c < cells.length; c++) {
                    row[c] = cells[c].isBlank() ? null : Double.parseDouble(cells[c].trim());
                }
            } catch (NumberFormatException e) {
                throw new UserError(csv + ": line " + (i + 1) + " has a cell that is not a number: " + e.getMessage());
            }
            rows.add(row);
        }
        return new MetricsTable(columns, rows);
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
