package attentionlab.experiments.train;

import attentionlab.experiments.sweep.RunRequest;
import attentionlab.experiments.sweep.ExperimentRunner;
import static org.assertj.core.api.Assertions.assertThat;

import attentionlab.experiments.layout.RunStatus;
import attentionlab.experiments.train.listeners.ResultsTable;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What lab run prints when its output is not a terminal: a line per evaluation or less, then the results table. */
class ProgressTest {

    @TempDir
    Path tmp;

    @Test
    void pipedOutputIsOneLinePerEvaluationThenAResultsTable() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        String yaml = TinyRuns.RECALL.replace("eval_every: 4", "eval_every: 1") // an evaluation every step
                + "variants:\n  soft: {model.kernel: softmax}\n  wild: {train.lr: 1.0e30}\n";
        ExperimentRunner.run(new RunRequest(TinyRuns.config(tmp, yaml), List.of(), null, tmp.resolve("runs"),
                new PrintStream(bytes, true, StandardCharsets.UTF_8), null));
        String out = bytes.toString(StandardCharsets.UTF_8);
        List<String> lines = out.lines().toList();
        assertThat(out).doesNotContain("\r").doesNotContain("\u001b");
        assertThat(lines.get(0)).startsWith("experiment tiny: 2 run(s) in ");
        List<String> evals = lines.stream().filter(l -> l.startsWith("soft-s0: step ")).toList();
        assertThat(evals).hasSizeBetween(6, 13); // 13 evaluations (steps 0-12), at most one per 5% of the run
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("soft-s0: completed at step 12 (").contains("val_acc"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("wild-s0: diverged"));
        int header = lines.indexOf(lines.stream().filter(l -> l.startsWith("variant")).findFirst().orElseThrow());
        assertThat(lines.get(header)).matches("variant +seed +status +step +train/loss +val/loss +val/acc");
        assertThat(lines.get(header + 1)).matches("soft +0 +completed +12 +\\S+ +\\S+ +\\S+");
        assertThat(lines.get(header + 2)).matches("wild +0 +diverged +\\d+ .*");
    }

    @Test
    void theResultsTableFitsSeventyTwoColumns() {
        double[] values = {1.23456789, 0.000123456, 0.99};
        List<String> lines = ResultsTable.lines(List.of(
                new ResultsTable.Row("argmax-st", 12, RunStatus.INTERRUPTED, 12345, values),
                new ResultsTable.Row("softmax", 0, RunStatus.COMPLETED, 400, new double[] {Double.NaN, 1, 0.5})));
        assertThat(lines).hasSize(3).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(72));
        assertThat(lines.get(1)).contains("argmax-st", "interrupted", "12345", "1.235", "0.0001235", "0.9900");
        assertThat(lines.get(2).split(" +")).containsExactly("softmax", "0", "completed", "400", "-", "1.000", "0.5000");
        assertThat(Arrays.stream(lines.get(0).split(" +")).toList()).containsExactly("variant", "seed", "status", "step",
                "train/loss", "val/loss", "val/acc");
    }
}
