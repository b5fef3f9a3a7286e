package attentionlab.experiments.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every benchmark goes through the same Benchmark.runInto; the train benchmark's two models differ only in attention. */
class BenchmarkTest {

    record Fake(double value, List<Target> targets) {}

    @Test
    void runIntoWritesTheResultItsPlotsItsSummaryAndReturnsItsTargets(@TempDir Path dir) {
        List<Path> plotted = new ArrayList<>();
        Benchmark<Fake> fake = new Benchmark<>("fake", (quick, timer, log) -> new Fake(quick ? 1 : 2, List.of(Target.atMost("x", 1, 2))),
                (r, d) -> plotted.add(d), r -> "## fake " + r.value() + "\n", Fake::targets);
        StringBuilder summary = new StringBuilder();
        List<Target> targets = fake.runInto(dir, true, FakeTimer.idle((p, r) -> 1), line -> { }, summary);
        assertThat(dir.resolve("fake.json")).content().contains("\"value\" : 1.0");
        assertThat(plotted).containsExactly(dir);
        assertThat(summary).hasToString("## fake 1.0\n");
        assertThat(targets).extracting(Target::met).containsExactly(true);
    }

    @Test
    void theSuiteRunsTheRegisteredBenchmarksByName() {
        assertThat(BenchSuite.NAMES).containsExactly("attention-scaling", "decode", "train", "soak", "jobs");
    }

    /** DJL's ScaledDotProductAttentionBlock hosted in the same SequenceModel: the same parameter count as ours. */
    @Test
    void trainBenchmarkModelsHaveTheSameSizes() {
        TrainBenchmark.Sizes z = TrainBenchmark.Sizes.argmaxStall();
        assertThat(TrainBenchmark.parameterCount("ours", z)).isPositive().isEqualTo(TrainBenchmark.parameterCount("djl", z));
    }

    /** The train benchmark's target is the median of per-round ratios (the models are timed back to back in each round). */
    @Test
    void trainBenchmarkComparesTheModelsRoundByRound() {
        double[][] ms = {{1, 20, 30}, {2, 10, 40}}; // [ours, djl][round]: per-round ratios 0.5, 2, 0.75; medians 20 / 10
        FakeTimer.Seconds times = (p, round) -> ms[p.params().get("model").equals("ours") ? 0 : 1][round] * 1e-3;
        TrainBenchmark.Options o = new TrainBenchmark.Options(TrainBenchmark.Sizes.argmaxStall(), 3, 0.1, false);
        TrainBenchmark.Result r = TrainBenchmark.run(o, FakeTimer.idle(times), line -> { });
        assertThat(r.oursOverDjlPaired().median()).isCloseTo(0.75, within(1e-12));
        assertThat(r.oursOverDjlTime()).isCloseTo(2, within(1e-12));
        assertThat(r.rows().get(0).stepsPerSecond()).isCloseTo(1 / 20e-3, within(1e-9));
        assertThat(r.targets()).singleElement().satisfies(t -> assertThat(t.status()).isEqualTo("met"));
        TrainBenchmark.Result busy = TrainBenchmark.run(o, FakeTimer.busy(times), line -> { });
        assertThat(busy.targets().get(0).status()).startsWith("not measured: machine busy");
    }
}
