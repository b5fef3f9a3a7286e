package attentionlab.experiments.tensorboard;

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
 * {@code tensorboard --logdir DIR} shows them: {@code DIR/<run's relative dir>/events.out.tfevents.*}.
 * A point's wall time is its run's wall time at that step (0 where none was logged).
 */
public final class TensorBoardExport {

    private TensorBoardExport() {}

    /** @return the event files written, one per run */
    public static List<Path> write(List<RunScalars> runs, Path dir) {
        List<Path> files = new ArrayList<>();
        for (RunScalars run : runs) {
            files.add(writeRun(run, dir.resolve(run.relativeDir())));
        }
        return files;
    }

    private static Path writeRun(RunScalars run, Path runDir) {
        TreeMap<Double, Double> wallAt = new TreeMap<>();
        for (int i = 0; i < run.wallSteps().length; i++) {
            wallAt.put(run.wallSteps()[i], run.wallTimes()[i]);
        }
        Path file = runDir.resolve("events.out.tfevents.0000000000.attention-lab");
        try {
            Files.createDirectories(runDir);
            try (TfRecordWriter w = new TfRecordWriter(new BufferedOutputStream(Files.newOutputStream(file)))) {
                w.write(ScalarEvents.fileVersion(0));
                for (RunScalars.Scalar s : run.scalars()) {
                    for (int i = 0; i < s.steps().length; i++) {
                        double step = s.steps()[i];
                        w.write(ScalarEvents.scalar(wallAt.getOrDefault(step, 0.0), (long) step, s.tag(), (float) s.values()[i]));
                    }
                }
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
