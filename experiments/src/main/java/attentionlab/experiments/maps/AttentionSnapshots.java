package attentionlab.experiments.maps;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import attentionlab.experiments.io.Json;
import attentionlab.experiments.layout.RunLayout;
import attentionlab.models.weights.TensorFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The attention snapshots of a run directory ({@link RunLayout#attention()}): {@code examples.json}
 * ({@link SnapshotExamples}) and one {@code step-<t>.npz} per evaluation holding {@code layer<L>}, the
 * float32 weights [E,H,N,M] of the E fixed examples (numpy: {@code np.load(f)["layer0"]}). About
 * 4 E H N M bytes per layer: 3 KB for 4 examples, 4 heads and N = M = 7.
 */
public final class AttentionSnapshots {

    /** How many validation examples (the first ones) a run saves. */
    public static final int EXAMPLES = 4;

    private static final String PARTIAL = ".partial.npz";

    private AttentionSnapshots() {}

    /** The array name of layer l in a snapshot file. */
    public static String layerName(int layer) {
        return "layer" + layer;
    }

    public static void writeExamples(RunLayout run, SnapshotExamples examples) {
        try {
            Files.createDirectories(run.attention());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + run.attention(), e);
        }
        Json.write(run.attentionExamples(), examples);
    }

    /**
     * Writes the snapshot of {@code step} (replacing one of the same step), so that a reader never
     * sees half a file.
     *
     * @param layers per layer the weights [E,H,N,M]
     */
    public static void write(RunLayout run, int step, List<NDArray> layers) {
        Map<String, NDArray> named = new LinkedHashMap<>();
        for (int l = 0; l < layers.size(); l++) {
            named.put(layerName(l), layers.get(l).toType(DataType.FLOAT32, false));
        }
        Path file = run.attentionSnapshot(step);
        Path partial = file.resolveSibling(RunLayout.CHECKPOINT_PREFIX + step + PARTIAL);
        try {
            Files.createDirectories(run.attention());
            TensorFiles.write(partial, named);
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * Deletes the snapshots of steps after {@code step} and any half-written file: a resumed run
     * recomputes them from its checkpoint (as metrics.csv drops its rows after the checkpoint).
     */
    public static void removeAfter(RunLayout run, int step) {
        if (!Files.isDirectory(run.attention())) {
            return;
        }
        try (Stream<Path> files = Files.list(run.attention())) {
            for (Path f : files.toList()) {
                if (RunLayout.attentionSnapshotStep(f) > step || f.getFileName().toString().endsWith(PARTIAL)) {
                    Files.delete(f);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean " + run.attention(), e);
        }
    }

    /** The steps with a saved snapshot, ascending (empty when the run saved none). */
    public static List<Integer> steps(RunLayout run) {
        if (!Files.isDirectory(run.attention())) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(run.attention())) {
            return files.mapToInt(RunLayout::attentionSnapshotStep).filter(s -> s >= 0).sorted().boxed().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + run.attention(), e);
        }
    }

    public static SnapshotExamples examples(RunLayout run) {
        return Json.read(run.attentionExamples(), SnapshotExamples.class);
    }

    /**
     * Reads the snapshot of {@code step}.
     *
     * @throws IllegalArgumentException if the file is malformed or its layers differ in shape
     */
    public static Snapshot read(RunLayout run, int step) {
        Path file = run.attentionSnapshot(step);
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> arrays = TensorFiles.read(file, manager);
            List<float[]> layers = new ArrayList<>();
            Shape shape = null;
            for (int l = 0; arrays.containsKey(layerName(l)); l++) {
                NDArray a = arrays.get(layerName(l));
                if (a.getShape().dimension() != 4 || (shape != null && !shape.equals(a.getShape()))) {
                    throw new IllegalArgumentException(file + ": " + layerName(l) + " has shape " + a.getShape()
                            + "; expected [E,H,N,M]" + (shape == null ? "" : " like layer0's " + shape));
                }
                shape = a.getShape();
                layers.add(a.toType(DataType.FLOAT32, false).toFloatArray());
            }
            if (shape == null) {
                throw new IllegalArgumentException(file + ": no " + layerName(0) + " array");
            }
            return new Snapshot(step, layers, (int) shape.get(0), (int) shape.get(1), (int) shape.get(2), (int) shape.get(3));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
