package attentionlab.experiments.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The timing engine on tiny sizes: structure and failure handling, never speed. */
class SweepTest {

    @Test
    void everyPointIsMeasuredInEveryRoundInItsOwnForkAndAFailingPointIsReportedNotFatal() {
        List<Sweep.Point> points = List.of(
                new Sweep.Point("AttentionBench", Sweep.params("kernel", "softmax", "n", 32, "d", 4, "m", 4)),
                new Sweep.Point("DecodeBench", Sweep.params("kernel", "quadratic", "modelDim", 16, "heads", 4, "kvHeads", 1,
                        "batch", 2, "n", 8)),
                new Sweep.Point("AttentionBench", Sweep.params("kernel", "no-such-kernel", "n", 32, "d", 4, "m", 4)));
        List<String> log = new ArrayList<>();
        List<Sweep.Measured> m = Sweep.run(points, new Sweep.Settings(2, 1, 2, 0, 2, 1, 120), log::add);
        assertThat(m).hasSize(3);
        for (Sweep.Measured ok : m.subList(0, 2)) {
            assertThat(ok.ok()).as(ok.point().describe() + ": " + ok.error()).isTrue();
            assertThat(ok.rounds()).hasSize(2);
            assertThat(Arrays.stream(ok.rounds())).allSatisfy(s -> assertThat(s).isPositive().isLessThan(60));
            assertThat(ok.iterations()).hasDimensions(2, 2);
        }
        assertThat(m.get(2).ok()).isFalse();
        assertThat(m.get(2).error()).contains("no-such-kernel");
        assertThat(log).hasSize(6).first().asString().contains("[1/6] round 1 AttentionBench kernel=softmax");
    }

    @Test
    void aChildThatOutlivesItsTimeLimitIsKilledWithAClearMessage() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> ChildJvm.run("a sleeper", List.of("-Xmx32m"), Sleeper.class, List.of(), Map.of(), 2, line -> { }))
                .isInstanceOf(ChildJvm.TimeoutException.class)
                .hasMessage("a sleeper: child JVM timed out after 2 s and was killed");
        assertThat((System.nanoTime() - start) / 1e9).isLessThan(30);
    }

    /** A child that never ends by itself. */
    static final class Sleeper {
        public static void main(String[] args) throws InterruptedException {
            Thread.sleep(600_000);
        }
    }
}
