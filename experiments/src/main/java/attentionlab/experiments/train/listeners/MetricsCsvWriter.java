package attentionlab.experiments.train.listeners;

import attentionlab.experiments.layout.MetricColumns;
import attentionlab.experiments.layout.RunLayout;
import attentionlab.experiments.layout.RunStatus;
import attentionlab.experiments.train.StepContext;
import attentionlab.experiments.train.StepListener;
import attentionlab.experiments.train.TrainingSession;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * metrics.csv: the header (fixed at start, {@link MetricColumns}) then one row per step that logged
 * something, appended and flushed at once so that a killed run leaves a readable file. Empty cell =
 * not logged at that step. On resume, rows after the checkpoint's step are dropped first.
 */
public final class MetricsCsvWriter implements StepListener {

    private List<String> columns;
    private BufferedWriter out;

    @Override
    public void onStart(TrainingSession session) {
        boolean target = session.task().hasTargetKey();
        columns = MetricColumns.of(session.parameterNames(), target ? session.config().model().layers() : 0,
                session.config().model().heads());
        Path file = session.dir().layout().metrics();
        try {
            if (session.stepsCompleted() == 0) {
                Files.writeString(file, String.join(",", columns) + "\n", StandardCharsets.UTF_8);
            } else {
                truncateAfter(file, session.stepsCompleted());
            }
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file, e);
        }
    }

    @Override
    public void afterStep(StepContext step) {
        Map<String, Double> row = step.row();
        if (row.isEmpty()) {
            return;
        }
        List<String> cells = new ArrayList<>(columns.size());
        for (String column : columns) {
            if (column.equals(MetricColumns.STEP)) {
                cells.add(Integer.toString(step.step()));
            } else if (column.equals(MetricColumns.WALL_TIME)) {
                cells.add(String.format(java.util.Locale.ROOT, "%.3f", step.session().wallTime()));
            } else {
                Double v = row.get(column);
                cells.add(v == null ? "" : format(v));
            }
        }
        try {
            out.write(String.join(",", cells));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + RunLayout.METRICS, e);
        }
    }

    @Override
    public void onEnd(TrainingSession session, RunStatus status) {
        try {
            if (out != null) {
                out.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Shortest text that reads back as the same number (float precision when the value is a float). */
    static String format(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.toString(v);
        }
        float f = (float) v;
        return (double) f == v ? Float.toString(f) : Double.toString(v);
    }

    private static void truncateAfter(Path file, int step) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<String> kept = new ArrayList<>();
        for (String line : lines) {
            if (kept.isEmpty()) {
                kept.add(line);
                continue;
            }
            int comma = line.indexOf(',');
            if (comma > 0 && Integer.parseInt(line.substring(0, comma)) <= step) {
                kept.add(line);
            }
        }
        Files.write(file, kept, StandardCharsets.UTF_8);
    }
}
