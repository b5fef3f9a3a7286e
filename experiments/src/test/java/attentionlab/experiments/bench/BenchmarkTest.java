package attentionlab.experiments.bench;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
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
        Benchmark<Fake> fake = new Benchmark<>("fake", (quick, log) -> new Fake(quick ? 1 : 2, List.of(Target.atMost("x", 1, 2))),
                (r, d) -> plotted.add(d), r -> "## fake " + r.value() + "\n", Fake::targets);
        StringBuilder summary = new StringBuilder();
        List<Target> targets = fake.runInto(dir, true, line -> { }, summary);
        assertThat(dir.resolve("fake.json")).content().contains("\"value\" : 1.0");
        assertThat(plotted).containsExactly(dir);
        assertThat(summary).hasToString("## fake 1.0\n");
        assertThat(targets).extracting(Target::met).containsExactly(true);
    }

    @Test
    void theSuiteRunsTheRegisteredBenchmarksByName() {
        assertThat(BenchSuite.NAMES).containsExactly("attention-scaling", "decode", "train", "soak");
    }

    /** DJL's ScaledDotProductAttentionBlock hosted in the same SequenceModel: the same parameter count as ours. */
    @Test
    void trainBenchmarkModelsHaveTheSameSizes() {
        TrainBenchmark.Options o = TrainBenchmark.Options.quick();
        long[] counts = new long[2];
        for (int i = 0; i < 2; i++) {
            try (NDManager m = NDManager.newBaseManager()) {
                Block model = TrainBenchmark.model(TrainBenchmark.MODELS.get(i), o);
                model.initialize(m, DataType.FLOAT32, new Shape(2, o.length()));
                counts[i] = model.getParameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
            }
        }
        assertThat(counts[0]).isPositive().isEqualTo(counts[1]);
    }
}
