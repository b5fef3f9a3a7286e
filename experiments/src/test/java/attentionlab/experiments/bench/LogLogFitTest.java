package attentionlab.experiments.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class LogLogFitTest {

    @Test
    void recoversThePowerLawOfExactData() {
        List<Double> xs = List.of(128.0, 256.0, 512.0, 1024.0);
        List<Double> ys = xs.stream().map(x -> 3e-9 * Math.pow(x, 1.5)).toList();
        LogLogFit fit = LogLogFit.fit(xs, ys);
        assertThat(fit.exponent()).isCloseTo(1.5, within(1e-9));
        assertThat(fit.coefficient()).isCloseTo(3e-9, within(1e-15));
        assertThat(fit.r2()).isCloseTo(1.0, within(1e-12));
        assertThat(fit.predict(2048)).isCloseTo(3e-9 * Math.pow(2048, 1.5), within(1e-9));
    }

    @Test
    void aConstantOverheadBendsTheFitBelowTheAsymptoticExponent() {
        List<Double> xs = List.of(128.0, 256.0, 512.0, 1024.0, 2048.0);
        List<Double> ys = xs.stream().map(x -> 1e-3 + 1e-9 * x * x).toList(); // overhead + N^2
        LogLogFit fit = LogLogFit.fit(xs, ys);
        assertThat(fit.exponent()).isBetween(0.0, 1.9);
        assertThat(fit.r2()).isLessThan(1.0);
    }

    @Test
    void rejectsTooFewOrNonPositivePoints() {
        assertThatThrownBy(() -> LogLogFit.fit(List.of(1.0), List.of(1.0))).hasMessageContaining("at least 2");
        assertThatThrownBy(() -> LogLogFit.fit(List.of(1.0, 2.0), List.of(1.0, 0.0))).hasMessageContaining("positive");
        assertThatThrownBy(() -> LogLogFit.fit(List.of(2.0, 2.0), List.of(1.0, 3.0))).hasMessageContaining("distinct");
    }

    @Test
    void statsReportMedianAndSpread() {
        RepeatStats odd = RepeatStats.of(3, 1, 2);
        assertThat(odd.median()).isEqualTo(2);
        assertThat(odd.relativeSpread()).isEqualTo(1.0); // (3 - 1) / 2
        assertThat(RepeatStats.of(4, 1, 2, 3).median()).isEqualTo(2.5);
        assertThatThrownBy(RepeatStats::of).hasMessageContaining("no measurements");
    }

    @Test
    void interleavedTimingRunsActionsRoundRobin() {
        StringBuilder order = new StringBuilder();
        List<RepeatStats> stats = RepeatStats.interleaved(1, 2, List.of(() -> order.append('a'), () -> order.append('b')));
        assertThat(order).hasToString("ababab");
        assertThat(stats).hasSize(2).allSatisfy(s -> assertThat(s.count()).isEqualTo(2));
    }
}
