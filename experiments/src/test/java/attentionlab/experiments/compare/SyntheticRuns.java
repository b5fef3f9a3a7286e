package attentionlab.experiments.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Writes run directories in the run-directory format (metrics.csv, summary.json, meta.json, config.yaml) without training. */
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

    /** meta.json with a status and a reason (null for none). */
    static void meta(Path runDir, String status, String reason) throws IOException {
        Files.writeString(runDir.resolve("meta.json"), "{\"status\":\"" + status + "\""
                + (reason == null ? "" : ",\"reason\":\"" + reason + "\"") + "}");
    }

    /** config.yaml of an experiment run: the seed and the learning rate vary, the rest is fixed. */
    static void config(Path runDir, String experiment, String variant, long seed, double lr) throws IOException {
        Files.writeString(runDir.resolve("config.yaml"), String.format(Locale.ROOT, """
                experiment: %s
                variant: %s
                model:
                  kernel: %s
                train:
                  steps: 20
                  lr: %s
                  seeds:
                  - %d
                """, experiment, variant, variant, lr, seed));
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

    /**
     * The case: softmax with three seeds, of which seed 1 diverged at step 14 and seed 2 at
     * step 117 (their last row has a NaN loss), seed 0 completed 200 steps; argmax's three seeds
     * completed with W_q gradient exactly 0. Loss of seed s at step t: 2 - t/200 + s/10; the diverged
     * seeds' loss climbs to 10 before the NaN, so that a mean over the seeds present is visibly not
     * their mean over all steps.
     */
    static Path divergedSeed(Path root) throws IOException {
        Path exp = root.resolve("stall").resolve("20260102-000000");
        int[] end = {200, 14, 117};
        for (int seed = 0; seed < 3; seed++) {
            List<String> softmax = new ArrayList<>();
            List<String> argmax = new ArrayList<>();
            for (int t = 0; t <= end[seed]; t++) {
                double loss = t == end[seed] && seed > 0 ? Double.NaN
                        : seed > 0 && t > end[seed] - 5 ? 10 : 2 - t / 200.0 + seed / 10.0;
                String acc = t % 10 == 0 ? String.valueOf(0.2 + t / 400.0) : "";
                softmax.add(String.format(Locale.ROOT, "%d,%.1f,%s,%s,%s,0.001", t, t / 10.0, loss, acc, 0.5 / (1 + t)));
            }
            for (int t = 0; t <= 200; t++) {
                argmax.add(String.format(Locale.ROOT, "%d,%.1f,%s,%s,0,0.001", t, t / 10.0, 2.2 - t / 1000.0,
                        t % 10 == 0 ? "0.15" : ""));
            }
            Path s = run(exp, "softmax", seed, softmax, null);
            meta(s, seed == 0 ? "completed" : "diverged", seed == 0 ? null : "non-finite loss at step " + end[seed]);
            Path a = run(exp, "argmax", seed, argmax, null);
            meta(a, "completed", null);
        }
        return exp;
    }
}
