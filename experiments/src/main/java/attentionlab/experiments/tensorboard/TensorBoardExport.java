package attentionlab.experiments.tensorboard;

import attentionlab.experiments.compare.RunRecord;
import attentionlab.experiments.compare.Series;
import attentionlab.experiments.layout.MetricColumns;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Writes runs as TensorBoard event files (scalars only), one directory per run, so that
 * {@code tensorboard --logdir DIR} shows them: {@code DIR/<experiment>/<variant>-s<seed>/events.out.tfevents.*}.
 * The wall time of a point is its run's {@code wall_time_s} (seconds since the run started).
 */
public final class TensorBoardExport {

    private TensorBoardExport() {}

    /** @return the event files written */
    public static List<Path> write(List<RunRecord> runs, List<String> metrics, Path dir) {
        List<Path> files = new ArrayList<>();
        for (RunRecord run : runs) {
            Path runDir = dir.resolve(run.experiment()).resolve(run.variant() + "-s" + run.seed());
            files.add(writeRun(run, metrics, runDir));
        }
        return files;
    }

    static Path writeRun(RunRecord run, List<String> metrics, Path runDir) {
        Series wall = run.metrics().series(MetricColumns.WALL_TIME);
        TreeMap<Double, Double> wallAt = new TreeMap<>();
        for (int i = 0; i < wall.size(); i++) {
            wallAt.put(wall.steps()[i], wall.values()[i]);
        }
        Path file = runDir.resolve("events.out.tfevents.0000000000.attention-lab");
        try {
            Files.createDirectories(runDir);
            try (TfRecordWriter w = new TfRecordWriter(new BufferedOutputStream(Files.newOutputStream(file)))) {
                w.write(ScalarEvents.fileVersion(0));
                for (String metric : metrics) {
                    Series s = run.metrics().series(metric);
                    for (int i = 0; i < s.size(); i++) {
                        double step = s.steps()[i];
                        double t = wallAt.getOrDefault(step, 0.0);
                        w.write(ScalarEvents.scalar(t, (long) step, metric, (float) s.values()[i]));
                    }
                }
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
