package attentionlab.experiments.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import attentionlab.experiments.io.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attention-scaling benchmark on fake timings (what it does with times: skips, fits, ratios,
 * targets, JSON), and its two child-JVM measurements (peak memory, op profile) on small sizes. Never
 * judges speed.
 */
class AttentionScalingTest {

    /** N = 16 .. 128 at D = 4, D = 2, 4 at N = 32; fits from N = 32; softmax forward+backward at N = 128 is over budget. */
    private static final AttentionScaling.Options TINY = new AttentionScaling.Options(new AttentionTiming.Plan(List.of(16, 32, 64, 128),
            4, List.of(2, 4), 32, AttentionTiming.MODES, 32, 3, 0, 1, 0.01, 300_000), AttentionScaling.MemoryMeasurement.OFF, false, false);

    /** softmax 1e-9 N^2 D s, quadratic-linear 1e-8 N^p D^3 s, x3 with backward, times each round's noise. */
    private static FakeTimer.Seconds powerLaws(double quadraticExponent) {
        return (p, round) -> {
            int n = FakeTimer.param(p, "n");
            int d = FakeTimer.param(p, "d");
            double t = p.params().get("kernel").equals("softmax") ? 1e-9 * n * n * d : 1e-8 * Math.pow(n, quadraticExponent) * d * d * d;
            return t * (Boolean.parseBoolean(p.params().get("backward")) ? 3 : 1) * FakeTimer.noise(round);
        };
    }

    private static Target target(AttentionScaling.Result r, String prefix) {
        return r.targets().stream().filter(t -> t.name().startsWith(prefix)).findFirst().orElseThrow();
    }

    @Test
    void sizesOverTheMemoryBudgetAreSkippedAndTheRestIsTimedFittedJudgedAndWritten(@TempDir Path dir) {
        FakeTimer timer = FakeTimer.idle(powerLaws(1));
        AttentionScaling.Result r = AttentionScaling.run(TINY, timer, line -> { });
        assertThat(r.rows()).hasSize((4 + 2) * 2 * 2);
        assertThat(r.rows()).filteredOn(row -> row.skipped() != null).singleElement().satisfies(skipped -> {
            assertThat(skipped.kernel()).isEqualTo("softmax");
            assertThat(skipped.mode()).isEqualTo("forward+backward");
            assertThat(skipped.n()).isEqualTo(128); // 8 N^2 floats = 512 KiB > 300 kB
            assertThat(skipped.skipped()).contains("memory budget");
        });
        assertThat(timer.sweeps).singleElement().asList().hasSize(23); // one sweep; the skipped point is not asked for
        assertThat(timer.settings.get(0).rounds()).isEqualTo(3);
        AttentionScaling.Fit softmaxN = r.fits().stream().filter(f -> f.quantity().equals("time") && f.sweep().equals("N")
                && f.kernel().equals("softmax") && f.mode().equals("forward")).findFirst().orElseThrow();
        assertThat(softmaxN.fit().exponent()).isCloseTo(2, within(1e-9));
        assertThat(softmaxN.fit().points()).isEqualTo(3 * 3); // N = 32, 64, 128 (N = 16 is below fitFromN), every round
        assertThat(r.fits()).noneMatch(f -> f.quantity().equals("memory")); // memory was not measured
        assertThat(target(r, "softmax time exponent in N").status()).isEqualTo("met");
        assertThat(target(r, "quadratic time exponent in N").status()).isEqualTo("met");
        // at the largest N with both kernels: 1e-9 128^2 4 / (1e-8 128 4^3) = 0.8, the same in every round
        assertThat(target(r, "softmax / quadratic time at N = 128 (forward").measured()).isCloseTo(0.8, within(1e-9));
        assertThat(r.targets()).noneMatch(t -> t.name().contains("forward+backward")); // softmax was skipped there
        assertThat(r.crossovers().get(0).note()).isEqualTo("softmax is faster up to the largest common N = 128");

        Json.write(dir.resolve("a.json"), r);
        JsonNode json = Json.read(dir.resolve("a.json"), JsonNode.class);
        assertThat(json.get("rows")).hasSize(24);
        assertThat(json.get("provenance").get("djl_version").asText()).isEqualTo("0.35.1");
        assertThat(json.get("load").get("busy").asBoolean()).isFalse();
    }

    @Test
    void aLinearFormThatGrowsAsNSquaredOrImplausiblyFlatMissesItsTarget() {
        Target steep = target(AttentionScaling.run(TINY, FakeTimer.idle(powerLaws(2)), line -> { }), "quadratic time exponent in N");
        assertThat(steep.status()).isEqualTo("MISSED");
        assertThat(steep.measured()).isCloseTo(2, within(1e-9));
        Target flat = target(AttentionScaling.run(TINY, FakeTimer.idle(powerLaws(0.5)), line -> { }), "quadratic time exponent in N");
        assertThat(flat.status()).startsWith("implausible: interval below 0.8");
    }

    @Test
    void onABusyMachineEveryTimingTargetIsNotMeasured() {
        AttentionScaling.Result r = AttentionScaling.run(TINY, FakeTimer.busy(powerLaws(1)), line -> { });
        assertThat(r.load().busy()).isTrue();
        assertThat(r.targets()).isNotEmpty().allSatisfy(t -> {
            assertThat(t.status()).startsWith("not measured: machine busy");
            assertThat(t.met()).isFalse();
        });
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

    private static AttentionScaling.Row timed(String kernel, int n, double seconds) {
        return new AttentionScaling.Row("N", kernel, "forward", n, 16, 16, RepeatStats.of(seconds), new double[] {seconds}, null, 1, 1.0,
                null);
    }

    @Test
    void flopModelCrossoverIsWhereTheTwoCountsMeet() {
        double n = AttentionCost.flopCrossover(16, 16);
        assertThat(AttentionCost.of("softmax", n, 16, 16).flops())
                .isCloseTo(AttentionCost.of("quadratic", n, 16, 16).flops(), within(1e-3));
        assertThat(AttentionCost.features(16)).isEqualTo(153);
    }

    /** The per-op breakdown: the kernel's own executed ops, profiled in a child JVM, placed under a (fake) roofline. */
    @Test
    void theRooflineProfilesTheKernelsOwnOpsInAChildJvm() {
        FakeTimer timer = FakeTimer.idle((p, round) -> 1e-3); // every roofline op: 1 ms per call
        Roofline.Result r = Roofline.run(timer, Map.of("softmax", 2e-3), 256, 8, 1, true, line -> { });
        // matMul 2 * 256^3 FLOP / 1 ms; stream: 2 * 4 MiB / 1 ms
        assertThat(r.peak().matmulGflops()).isCloseTo(2.0 * Math.pow(256, 3) / 1e-3 / 1e9, within(1e-9));
        assertThat(r.peak().bandwidthGbs()).isCloseTo(2.0 * (1 << 20) * 4 / 1e-3 / 1e9, within(1e-9));
        assertThat(r.ops()).extracting(Roofline.OpTime::op).contains("aten::bmm", "aten::_softmax")
                .doesNotContain("aten::normal_"); // the inputs are made before the profiled call
        assertThat(r.ops()).allSatisfy(op -> assertThat(op.seconds()).isPositive());
        Roofline.KernelFraction k = r.kernels().get(0);
        // Q K^T and weights V: 2 x 2 N^2 D FLOPs, plus the scaling and the softmax
        assertThat(k.flops()).isCloseTo(4.0 * 256 * 256 * 8 + 256 * 8 + 4.0 * 256 * 256, within(1.0));
        assertThat(k.achievedGflops()).isCloseTo(k.flops() / 2e-3 / 1e9, within(1e-9));
        assertThat(k.fraction()).isCloseTo(k.achievedGflops() / k.boundGflops(), within(1e-12));
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
