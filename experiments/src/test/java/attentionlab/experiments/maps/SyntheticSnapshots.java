package attentionlab.experiments.maps;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import attentionlab.experiments.layout.RunLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/** Run directories with attention snapshots written through {@link AttentionSnapshots}, without training. */
public final class SyntheticSnapshots {

    private SyntheticSnapshots() {}

    /**
     * Writes {@code runDir} with the given metrics.csv text, examples.json and one snapshot per step.
     *
     * @param steps step -> per layer the weights [E,H,N,N], row-major
     */
    public static Path run(Path runDir, String metricsCsv, SnapshotExamples examples, int heads, int n,
                           Map<Integer, List<float[]>> steps) throws IOException {
        Files.createDirectories(runDir);
        Files.writeString(runDir.resolve(RunLayout.METRICS), metricsCsv);
        RunLayout layout = new RunLayout(runDir);
        AttentionSnapshots.writeExamples(layout, examples);
        try (NDManager manager = NDManager.newBaseManager()) {
            Shape shape = new Shape(examples.count(), heads, n, n);
            steps.forEach((step, layers) -> AttentionSnapshots.write(layout, step,
                    layers.stream().map(w -> manager.create(w, shape)).toList()));
        }
        return runDir;
    }

    /** Examples named "a0 b0 ..." with no matching key. */
    public static SnapshotExamples untargeted(int count, int n) {
        List<Integer> none = Collections.nCopies(count, -1);
        List<List<String>> names = IntStream.range(0, count)
                .mapToObj(e -> IntStream.range(0, n).mapToObj(p -> "t" + e + "_" + p).toList()).toList();
        return new SnapshotExamples(IntStream.range(0, count).boxed().toList(), names, none, none);
    }
}
