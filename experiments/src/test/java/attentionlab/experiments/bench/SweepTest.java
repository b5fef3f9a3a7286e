package attentionlab.experiments.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The timing engine: its JMH wiring on the smallest sizes (one round, a few forks) and its bookkeeping.
 * Structure and failure handling, never speed. (Every benchmark's points run in-process in
 * {@link FakeTimer}.)
 */
class SweepTest {

    private static Sweep.Point attention(String kernel) {
        return new Sweep.Point("AttentionBench", Sweep.params("kernel", kernel, "n", 16, "d", 4, "m", 4));
    }

    @Test
    void aPointRunsInAForkAndAFailingPointIsReportedNotFatal() {
        List<String> log = new ArrayList<>();
        List<Sweep.Measured> m = Sweep.engine(1).run(List.of(attention("softmax"), attention("no-such-kernel")),
                Sweep.Settings.timed(1, 0, 2, 0.01, 120), log::add);
        assertThat(m).hasSize(2);
        assertThat(m.get(0).ok()).as(m.get(0).error()).isTrue();
        assertThat(m.get(0).iterations()).hasDimensions(1, 2);
        // seconds, not nanoseconds: a call on 16 tokens takes between 1 ns and 10 s even on a loaded machine, its
        // nanoseconds read as seconds would not
        assertThat(m.get(0).rounds()[0]).isBetween(1e-9, 10.0);
        assertThat(m.get(1).ok()).isFalse();
        assertThat(m.get(1).error()).contains("no-such-kernel");
        assertThat(log).hasSize(2).first().asString().contains("[1/2] round 1 AttentionBench kernel=softmax");
    }

    @Test
    void singleShotIterationsAreDividedIntoSecondsPerCall() {
        Sweep.Point decode = new Sweep.Point("DecodeBench", Sweep.params("kernel", "quadratic", "modelDim", 16, "heads", 4,
                "kvHeads", 1, "batch", 1, "n", 8));
        List<Sweep.Measured> m = Sweep.engine(1).run(List.of(decode), Sweep.Settings.singleShot(1, 0, 2, 4, 120), line -> { });
        assertThat(m.get(0).ok()).as(m.get(0).error()).isTrue();
        assertThat(m.get(0).iterations()[0]).hasSize(2);
        assertThat(m.get(0).rounds()[0]).isBetween(1e-9, 10.0);
    }

    @Test
    void resultsAreGroupedByPointAcrossRoundsAndAFailureInAnyRoundFailsThePoint() {
        List<Sweep.Point> points = List.of(attention("a"), attention("b"), attention("c"));
        List<Sweep.RoundResult> results = List.of(
                new Sweep.RoundResult(0, 0, new double[] {1, 3}, null), new Sweep.RoundResult(0, 1, new double[] {5}, null),
                new Sweep.RoundResult(0, 2, new double[] {1}, null),
                new Sweep.RoundResult(1, 0, new double[] {4}, null), new Sweep.RoundResult(1, 1, new double[0], "broke"));
        List<Sweep.Measured> m = Sweep.collect(points, 2, results);
        assertThat(m.get(0).rounds()).containsExactly(2, 4); // mean of each round's iterations
        assertThat(m.get(0).iterations()[0]).containsExactly(1, 3);
        assertThat(m.get(1).ok()).isFalse();
        assertThat(m.get(1).error()).isEqualTo("broke");
        assertThat(m.get(2).error()).isEqualTo("measured in 1 of 2 rounds");
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
