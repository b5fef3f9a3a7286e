package attentionlab.experiments.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The decode benchmark on fake timings and real state bytes and op counts (small sizes): structure, exact
 * bytes, and what its targets make of the times. Never judges speed.
 */
class DecodeBenchmarkTest {

    private static final DecodeBenchmark.Options SMALL = new DecodeBenchmark.Options(2, 64, 8, List.of(32, 64, 128), 3, 256, 8, false,
            true);

    /**
     * A softmax step reads its cache: 1e-6 (1 + n g / h) s; the recurrent step 1e-5 s, times n^p; chunked
     * attention 1 ms, prefix sums 2 ms; every roofline op 1 ms.
     */
    private static FakeTimer.Seconds steps(double recurrentExponent) {
        return (p, round) -> {
            double t = switch (p.benchmark()) {
                case "DecodeBench" -> p.params().get("kernel").equals("quadratic")
                        ? 1e-5 * Math.pow(FakeTimer.param(p, "n"), recurrentExponent)
                        : 1e-6 * (1 + FakeTimer.param(p, "n") * FakeTimer.param(p, "kvHeads") / 8.0);
                case "AttentionBench" -> FakeTimer.param(p, "chunk") == 0 ? 2e-3 : 1e-3;
                default -> 1e-3;
            };
            return t * FakeTimer.noise(round);
        };
    }

    private static Target target(DecodeBenchmark.Result r, String prefix) {
        return r.targets().stream().filter(t -> t.name().startsWith(prefix)).findFirst().orElseThrow();
    }

    @Test
    void everyVariantIsMeasuredWithExactStateBytesAndTheTargetsReadTheTimes() {
        Engine.getInstance().setRandomSeed(0);
        DecodeBenchmark.Result r = DecodeBenchmark.run(SMALL, FakeTimer.idle(steps(0)), line -> { });
        assertThat(r.rows()).extracting(DecodeBenchmark.Row::variant).containsExactly(
                "MHA", "GQA", "MQA", "recurrent", "MHA", "GQA", "MQA", "recurrent", "MHA", "GQA", "MQA", "recurrent");
        DecodeBenchmark.Row mha = DecodeBenchmark.find(r.rows(), "MHA", 128);
        DecodeBenchmark.Row mqa = DecodeBenchmark.find(r.rows(), "MQA", 128);
        assertThat(mha.stateBytes()).isEqualTo(2L * 8 * 128 * (8 + 8) * 4); // K and V: B=2, g=8, n=128, k=v=8, float32
        assertThat(mqa.stateBytes() * 8).isEqualTo(mha.stateBytes());
        long f = 1 + 8 + 8 * 9 / 2; // quadratic map of k = 8
        assertThat(DecodeBenchmark.find(r.rows(), "recurrent", 32).stateBytes())
                .isEqualTo(DecodeBenchmark.find(r.rows(), "recurrent", 128).stateBytes()).isEqualTo(2L * 8 * f * 9 * 4);
        assertThat(r.rows()).allSatisfy(row -> assertThat(row.seconds().count()).isEqualTo(3));
        assertThat(target(r, "recurrent state bytes exponent in n").status()).isEqualTo("met");
        assertThat(target(r, "recurrent step time exponent in n").status()).isEqualTo("met");
        assertThat(r.mhaOverMqa().median()).isCloseTo(129 / 17.0, within(1e-9)); // at the largest n, 128
        assertThat(target(r, "MHA / MQA step time").status()).isEqualTo("met");
        assertThat(r.crossoverN()).isEqualTo(128); // 1e-5 s < 1e-6 (1 + 128 / 8) s, not at n = 64
        assertThat(r.chunked().timeRatio()).isCloseTo(2, within(1e-9));
        assertThat(r.chunked().profile().unaccounted()).isEmpty();
        assertThat(r.chunked().chunkedPeak()).isNull(); // memory off
        assertThat(target(r, "chunked vs prefix sums").status()).isEqualTo("met");
        assertThat(target(r, "chunked fraction of its roofline bound").measured()).isEqualTo(r.chunked().rooflineFraction());
    }

    @Test
    void aRecurrentStepThatGrowsWithNMissesTheFlatTargetAndABusyMachineMeasuresNoTime() {
        DecodeBenchmark.Result growing = DecodeBenchmark.run(SMALL, FakeTimer.idle(steps(0.5)), line -> { });
        assertThat(target(growing, "recurrent step time exponent in n").status()).isEqualTo("MISSED");
        DecodeBenchmark.Result busy = DecodeBenchmark.run(SMALL, FakeTimer.busy(steps(0)), line -> { });
        assertThat(busy.targets()).filteredOn(t -> !t.name().contains("bytes")).isNotEmpty()
                .allSatisfy(t -> assertThat(t.status()).startsWith("not measured: machine busy"));
        assertThat(target(busy, "recurrent state bytes exponent in n").status()).isEqualTo("met"); // bytes need no idle machine
    }
}
