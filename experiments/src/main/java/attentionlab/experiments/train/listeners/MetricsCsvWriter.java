package attentionlab.experiments.train.listeners;

import attentionlab.experiments.layout.MetricColumns;
import attentionlab.experiments.layout.MetricsCsv;
import attentionlab.experiments.layout.RunLayout;
import attentionlab.experiments.layout.RunStatus;
import attentionlab.experiments.train.StepContext;
import attentionlab.experiments.train.StepListener;
import attentionlab.experiments.train.TrainingSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * metrics.csv: the header (fixed at start, {@link MetricColumns}) then one row per step that logged
 * something, appended and flushed at once so that a killed run leaves a readable file ({@link MetricsCsv}:
 * quoted CSV). Empty cell = not logged at that step. On resume, rows after the checkpoint's step are
 * dropped first.
 */
public final class MetricsCsvWriter implements StepListener {

    private List<String> columns;
    private MetricsCsv.Appender out;

    @Override
    public void onStart(TrainingSession session) {
        boolean target = session.task().hasTargetKey();
        columns = MetricColumns.of(session.parameterNames(), target ? session.config().model().layers() : 0,
                session.config().model().heads());
        Path file = session.dir().layout().metrics();
        try {
            if (session.stepsCompleted() == 0) {
                Files.writeString(file, MetricsCsv.line(columns), StandardCharsets.UTF_8);
            } else {
                MetricsCsv.keepUpTo(file, session.stepsCompleted());
            }
            out = MetricsCsv.appendTo(file);
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
                cells.add(MetricsCsv.seconds(step.session().wallTime()));
            } else {
                Double v = row.get(column);
                cells.add(v == null ? "" : MetricsCsv.number(v));
            }
        }
        try {
            out.append(cells);
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
}
