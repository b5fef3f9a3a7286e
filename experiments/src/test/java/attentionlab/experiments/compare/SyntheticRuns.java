package attentionlab.experiments.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes run directories in the run-directory format (metrics.csv, summary.json) without training. */
final class SyntheticRuns {

    static final String HEADER = "step,wall_time_s,train/loss,val/accuracy,grad_norm/layer0_attention_W_q_weight,lr";

    private SyntheticRuns() {}

    /** A run dir {@code experimentDir/<variant>-s<seed>} with the given CSV rows (after the header). */
    static Path run(Path experimentDir, String variant, long seed, List<String> rows, String summaryJson) throws IOException {
        Path dir = experimentDir.resolve(variant + "-s" + seed);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("metrics.csv"), HEADER + "\n" + String.join("\n", rows) + "\n");
        if (summaryJson != null) {
            Files.writeString(dir.resolve("summary.json"), summaryJson);
        }
        return dir;
    }

    /**
     * An experiment with softmax seeds 0 and 1 and argmax seed 0. softmax loss: seed 0 = 1, 2, 3 at steps
     * 0, 10, 20; seed 1 = 3, 4, 5. argmax: W_q gradient exactly 0.
     */
    static Path experiment(Path root) throws IOException {
        Path exp = root.resolve("toy").resolve("20260101-000000");
        run(exp, "softmax", 1, List.of("0,0.0,3,0.1,0.5,0.001", "10,1.0,4,0.5,0.25,0.001", "20,2.0,5,0.9,0.125,0.001"),
                "{\"experiment\":\"toy\",\"variant\":\"softmax\",\"seed\":1,\"status\":\"completed\",\"steps_per_second\":10.0,"
                        + "\"chance_accuracy\":0.0625,\"final\":{\"train/loss\":5.0},\"best\":{\"train/loss\":3.0}}");
        run(exp, "softmax", 0, List.of("0,0.0,1,0.2,0.5,0.001", "10,0.5,2,,0.25,0.001", "20,1.0,3,1.0,0.125,0.001"),
                "{\"experiment\":\"toy\",\"variant\":\"softmax\",\"seed\":0,\"status\":\"completed\",\"steps_per_second\":20.0,"
                        + "\"final\":{\"train/loss\":3.0},\"best\":{\"train/loss\":1.0}}");
        run(exp, "argmax", 0, List.of("0,0.0,2,0.1,0,0.001", "10,1.0,2,0.1,0,0.001", "20,2.0,2,0.2,0,0.001"), null);
        return exp;
    }
}
