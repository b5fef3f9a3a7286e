package attentionlab.experiments.train;

import attentionlab.experiments.sweep.RunRequest;
import attentionlab.experiments.sweep.ExperimentRunner;
import static org.assertj.core.api.Assertions.assertThat;

import attentionlab.experiments.io.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training learns: a tiny copy task (seed 0, 40 steps, seconds) ends with its validation loss below a
 * quarter of its value at initialisation and its accuracy at 0.9 or more (chance 0.2). Gradient ascent,
 * a learning rate that does not reach the weights or a loss that ignores the labels fail it (measured
 * on this config: 2.03 -> 0.019, accuracy 0.125 -> 1.0).
 */
class TrainingLearnsTest {

    static final String COPY = """
            experiment: tiny-copy
            task:  {name: copy, length: 4, vocab: 5, train_examples: 256, val_examples: 64}
            model: {d_model: 16, heads: 2, layers: 1, ffn_hidden: 32, kernel: softmax}
            train: {steps: 40, batch_size: 16, lr: 0.01, eval_every: 40, seeds: [0]}
            """;

    @TempDir
    Path tmp;

    @Test
    void aTinyCopyTaskIsLearned() {
        RunResult run = ExperimentRunner.run(new RunRequest(TinyRuns.config(tmp, COPY), List.of(), null, tmp.resolve("runs"), null, null))
                .runs().get(0);
        Path metrics = run.runDir().resolve("metrics.csv");
        List<Double> loss = logged(metrics, "val/loss");
        List<Double> accuracy = logged(metrics, "val/accuracy");
        double chance = Json.read(run.runDir().resolve("summary.json"), JsonNode.class).get("chance_accuracy").asDouble();
        assertThat(loss).hasSize(2); // steps 0 and 40
        assertThat(loss.get(1)).isLessThan(0.25 * loss.get(0));
        assertThat(accuracy.get(1)).isGreaterThanOrEqualTo(0.9).isGreaterThan(4 * chance);
    }

    private static List<Double> logged(Path metrics, String column) {
        return TinyRuns.column(metrics, column).stream().filter(s -> !s.isEmpty()).map(Double::valueOf).toList();
    }
}
