package attentionlab.experiments.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import attentionlab.experiments.io.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark machinery on tiny sizes: skip logic, fits, crossover, JSON. Never judges speed. */
class AttentionScalingTest {

    private static AttentionScaling.Row timed(String kernel, int n, double seconds) {
        return new AttentionScaling.Row("N", kernel, "forward", n, 16, 16, RepeatStats.of(seconds), null, 1, 1.0, 0.0, null);
    }

    @Test
    void crossoverIsInterpolatedWhereQuadraticBecomesFaster() {
        List<AttentionScaling.Row> rows = List.of(
                timed("softmax", 100, 1), timed("quadratic", 100, 3),
                timed("softmax", 200, 2), timed("quadratic", 200, 3),
                timed("softmax", 400, 8), timed("quadratic", 400, 3));
        AttentionScaling.Crossover c = AttentionScaling.crossover(rows, "forward");
        // log(q/s) goes from ln 1.5 at N = 200 to ln 0.375 at N = 400: zero at 200 * 2^(ln1.5 / ln4)
        assertThat(c.measuredN()).isCloseTo(200 * Math.pow(2, Math.log(1.5) / Math.log(4)), within(1e-9));
        assertThat(AttentionScaling.crossover(rows.subList(0, 2), "forward").measuredN()).isNull();
    }

    @Test
    void flopModelCrossoverIsWhereTheTwoCountsMeet() {
        double n = AttentionCost.flopCrossover(16, 16);
        assertThat(AttentionCost.of("softmax", n, 16, 16).flops())
                .isCloseTo(AttentionCost.of("quadratic", n, 16, 16).flops(), within(1e-3));
        assertThat(AttentionCost.features(16)).isEqualTo(153);
    }

    @Test
    void sizesOverTheMemoryBudgetAreSkippedWithTheReasonAndTheRestIsFittedAndWritten(@TempDir Path dir) {
        Engine.getInstance().setRandomSeed(0);
        // softmax forward+backward at N = 64 needs 8 * 64^2 * 4 = 131072 bytes by the estimate: over 100000
        AttentionScaling.Options tiny = new AttentionScaling.Options(List.of(16, 32, 64), 4, List.of(2, 4), 32, 0, 1,
                AttentionScaling.MemoryMeasurement.OFF, 60, 100_000, false);
        AttentionScaling.Result r = AttentionScaling.run(tiny, line -> { });
        assertThat(r.rows()).hasSize(2 * 2 * (3 + 2));
        AttentionScaling.Row skipped = r.rows().stream().filter(row -> row.skipped() != null).findFirst().orElseThrow();
        assertThat(skipped.kernel()).isEqualTo("softmax");
        assertThat(skipped.mode()).isEqualTo("forward+backward");
        assertThat(skipped.n()).isEqualTo(64);
        assertThat(skipped.skipped()).contains("memory budget");
        assertThat(r.rows().stream().filter(row -> row.skipped() != null)).hasSize(1);
        assertThat(r.fits()).anySatisfy(f -> {
            assertThat(f.quantity()).isEqualTo("time");
            assertThat(f.sweep()).isEqualTo("N");
            assertThat(f.fit().points()).isEqualTo(3);
        });
        assertThat(r.fits()).noneMatch(f -> f.quantity().equals("memory")); // memory was not measured
        Json.write(dir.resolve("a.json"), r);
        JsonNode json = Json.read(dir.resolve("a.json"), JsonNode.class);
        assertThat(json.get("rows")).hasSize(20);
        assertThat(json.get("provenance").get("djl_version").asText()).isEqualTo("0.35.1");
        assertThat(json.get("flop_model_crossover_n").asDouble()).isGreaterThan(0);
    }

    @Test
    void aChildJvmReportsThePeakMemoryOfEachCallInASeries() {
        // softmax forward holds two N x N float arrays: 2 x 4 MiB at N = 1024, 2 x 16 MiB at N = 2048
        List<PeakMemory.Measurement> m = PeakMemory.measureSeries(List.of(
                List.of("attention", "softmax", "1024", "16", "16", "false"),
                List.of("attention", "softmax", "2048", "16", "16", "false")), 120);
        assertThat(m).hasSize(2);
        assertThat(m.get(0).peakBytes()).isLessThan(128L << 20);
        assertThat(m.get(1).peakBytes()).isGreaterThan(16L << 20).isLessThan(256L << 20);
        assertThat(m.get(1).peakBytes()).isGreaterThan(m.get(0).peakBytes());
        assertThat(m).allSatisfy(x -> assertThat(x.baselineBytes()).isGreaterThan(0));
    }
}
