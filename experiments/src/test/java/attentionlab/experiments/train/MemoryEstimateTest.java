package attentionlab.experiments.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import attentionlab.experiments.config.ConfigLoader;
import attentionlab.experiments.config.ExperimentConfig;
import attentionlab.experiments.config.MemoryEstimate;
import attentionlab.experiments.core.UserError;
import attentionlab.experiments.io.AvailableMemory;
import attentionlab.experiments.tasks.TaskSize;
import attentionlab.experiments.tasks.Tasks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The memory estimate against reality: the parameter count exactly, and the peak resident memory of
 * real runs (a child JVM, {@link MemoryProbe}) within {@link #FACTOR} of the estimate either way, on
 * configs other than the ones its constants were fitted to.
 */
class MemoryEstimateTest {

    /** Measured peak growth / estimate must lie in [1 / FACTOR, FACTOR]. */
    static final double FACTOR = 1.5;

    @TempDir
    Path tmp;

    static ExperimentConfig config(Path dir, String yaml) {
        return ConfigLoader.plan(TinyRuns.config(dir, yaml), List.of(), null).runs().get(0).config();
    }

    static TaskSize size(ExperimentConfig c) {
        return Tasks.create(c.task()).size();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "model: {d_model: 16, heads: 2, layers: 1, ffn_hidden: 32, kernel: softmax}",
        "model: {d_model: 32, heads: 4, kv_heads: 1, layers: 2, kernel: quadratic, causal: true}",
        "model: {d_model: 24, heads: 4, kv_heads: 2, layers: 3, ffn_hidden: 40, value_dim: 48, kernel: argmax}"})
    void theParameterCountIsExact(String model) throws IOException {
        for (String task : List.of("task:  {name: associative-recall, pairs: 3, vocab: 6, train_examples: 256, val_examples: 64}",
                "task:  {name: associative-recall, encoding: interleaved, pairs: 4, vocab: 9}",
                "task:  {name: reverse, length: 5, vocab: 7}")) {
            String yaml = TinyRuns.RECALL.replaceAll("(?m)^model:.*$", model).replaceAll("(?m)^task:.*$", task);
            ExperimentConfig c = config(tmp, yaml);
            Path dir = Files.createDirectories(tmp.resolve("run" + System.nanoTime()));
            try (RunDirectory run = RunDirectory.open(dir); TrainingSession session = new TrainingSession(run, c)) {
                assertThat(MemoryEstimate.of(c.model(), c.train(), size(c)).parameters()).as(yaml)
                        .isEqualTo((double) session.parameterCount());
            }
        }
    }

    /**
     * Configs other than the ones the constants were fitted to, each dominated by one term: the N x N
     * weights (softmax, GQA), the N x F features (causal quadratic), N x N and logits (entmax15, a
     * vocabulary of 1000), the parameters and their copies (a vocabulary of 20000).
     */
    static final Map<String, String> MEASURED = Map.of(
            "gqa.yaml", """
                    experiment: mem-gqa
                    task:  {name: copy, length: 160, vocab: 10, train_examples: 32, val_examples: 8}
                    model: {d_model: 32, heads: 8, kv_heads: 2, layers: 1, kernel: softmax}
                    train: {steps: 1, batch_size: 16, lr: 0.001, eval_every: 100}
                    """,
            "quadratic.yaml", """
                    experiment: mem-quadratic
                    task:  {name: copy, length: 200, vocab: 10, train_examples: 32, val_examples: 8}
                    model: {d_model: 48, heads: 2, layers: 1, kernel: quadratic, causal: true}
                    train: {steps: 1, batch_size: 24, lr: 0.001, eval_every: 100}
                    """,
            "entmax.yaml", """
                    experiment: mem-entmax
                    task:  {name: associative-recall, encoding: interleaved, pairs: 40, vocab: 1000, train_examples: 64, val_examples: 8}
                    model: {d_model: 64, heads: 4, layers: 1, kernel: entmax15, causal: true}
                    train: {steps: 1, batch_size: 64, lr: 0.001, eval_every: 100}
                    """,
            "vocab.yaml", """
                    experiment: mem-vocab
                    task:  {name: copy, length: 4, vocab: 20000, train_examples: 32, val_examples: 8}
                    model: {d_model: 128, heads: 2, layers: 1, kernel: softmax}
                    train: {steps: 1, batch_size: 2, lr: 0.001, eval_every: 100}
                    """);

    @Test
    void thePeakMemoryOfRealRunsIsWithinTheStatedFactorOfTheEstimate() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isWritable(Path.of("/proc/self/clear_refs")),
                "needs Linux /proc/self/clear_refs to reset the peak");
        List<String> args = new ArrayList<>(List.of(tmp.resolve("runs").toString()));
        for (Map.Entry<String, String> e : MEASURED.entrySet()) {
            args.add(Files.writeString(tmp.resolve(e.getKey()), e.getValue()).toString());
        }
        List<String> command = new ArrayList<>(ChildJvm.command(MemoryProbe.class, args));
        // a pre-touched heap of fixed size, so that heap growth does not count; large blocks go back to the OS when freed
        command.addAll(1, List.of("-Xms512m", "-XX:+AlwaysPreTouch"));
        ProcessBuilder builder = new ProcessBuilder(command).directory(tmp.toFile()).redirectErrorStream(true);
        builder.environment().put("MALLOC_MMAP_THRESHOLD_", "131072");
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        Matcher m = Pattern.compile("probe (\\S+) status=(\\S+) estimate=(\\d+) growth=(\\d+)").matcher(out);
        int seen = 0;
        while (m.find()) {
            seen++;
            double ratio = Double.parseDouble(m.group(4)) / Double.parseDouble(m.group(3));
            assertThat(m.group(2)).as(m.group(1)).isEqualTo("completed");
            assertThat(ratio).as(m.group(0)).isBetween(1 / FACTOR, FACTOR);
        }
        assertThat(seen).as(out).isEqualTo(MEASURED.size());
    }

    @Test
    void aRunAboveTheAvailableMemoryIsRefusedWithTheEstimateAndTheLimit() {
        ExperimentConfig c = config(tmp, TinyRuns.RECALL.replace("d_model: 16", "d_model: 4096"));
        TaskSize size = size(c);
        MemoryEstimate estimate = MemoryEstimate.of(c.model(), c.train(), size);
        assertThatThrownBy(() -> estimate.requireFits(size, new AvailableMemory((long) estimate.nativeBytes() - 1,
                Long.MAX_VALUE, "a test limit")))
                .isInstanceOf(UserError.class)
                .hasMessageStartingWith("model.d_model 4096, model.ffn_hidden 32, model.layers 1: the run needs about")
                .hasMessageContaining("is available (a test limit)");
        estimate.requireFits(size, new AvailableMemory((long) estimate.nativeBytes() + 1, Long.MAX_VALUE, "a test limit"));
        assertThatThrownBy(() -> estimate.requireFits(size, new AvailableMemory(Long.MAX_VALUE, (long) estimate.dataBytes() - 1,
                "a test limit")))
                .isInstanceOf(UserError.class)
                .hasMessageStartingWith("task.train_examples 256, task.val_examples 64: the examples and initial weights need about");
    }
}
