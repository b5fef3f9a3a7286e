package attentionlab.experiments.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** lab bench jobs on a tiny experiment: both invocations train every run, in the order 1, N, N, 1, and the ratio is theirs. */
class JobsBenchmarkTest {

    @TempDir
    Path tmp;

    @Test
    void timesBothInvocationsPairedAndReportsTheirRatio() throws IOException {
        Path config = Files.writeString(tmp.resolve("tiny.yaml"), """
                experiment: tiny
                task:  {name: associative-recall, pairs: 3, vocab: 6, train_examples: 256, val_examples: 64}
                model: {d_model: 16, heads: 2, layers: 1, ffn_hidden: 32, kernel: softmax}
                train: {steps: 4, batch_size: 16, lr: 0.003, eval_every: 4, seeds: [0, 1]}
                """);
        List<String> log = new ArrayList<>();
        JobsBenchmark.Result r = JobsBenchmark.run(new JobsBenchmark.Options(config, List.of(), 2, 2), log::add);
        assertThat(r.timings()).extracting(JobsBenchmark.Timing::jobs).containsExactly(1, 2, 2, 1);
        assertThat(r.timings()).allSatisfy(t -> {
            assertThat(t.allCompleted()).isTrue();
            assertThat(t.seconds()).isPositive();
        });
        assertThat(r.timings()).extracting(JobsBenchmark.Timing::threads)
                .containsExactly(r.cores(), Math.max(1, r.cores() / 2), Math.max(1, r.cores() / 2), r.cores());
        double one = r.timings().get(0).seconds() + r.timings().get(3).seconds();
        double two = r.timings().get(1).seconds() + r.timings().get(2).seconds();
        assertThat(r.speedup()).isEqualTo(one / two);
        assertThat(r.targets()).singleElement().satisfies(t -> assertThat(t.name()).contains("--jobs 2 speed-up"));
        assertThat(r.summary()).contains("| 1 | 1 |", "| 2 | 2 |", "Speed-up");
        assertThat(log).hasSize(4);
    }

    @Test
    void theSpeedUpIsJudgedOnlyWhenOtherProcessesLeaveEveryCore() {
        List<JobsBenchmark.Timing> t = List.of(new JobsBenchmark.Timing(1, 2, 10, true), new JobsBenchmark.Timing(2, 1, 5, true));
        assertThat(new JobsBenchmark.Result("c.yaml", List.of(), 2, t, 2.0, 0.1, 0.2).targets().get(0).met()).isTrue();
        assertThat(new JobsBenchmark.Result("c.yaml", List.of(), 2, t, 1.2, 0.1, 0.2).targets().get(0).met()).isFalse();
        Target busy = new JobsBenchmark.Result("c.yaml", List.of(), 2, t, 2.0, 0.1, 0.9).targets().get(0);
        assertThat(busy.met()).isFalse();
        assertThat(busy.measured()).isNaN();
        assertThat(busy.status()).contains("other processes' load 0.90", "measured 2.00");
    }
}
