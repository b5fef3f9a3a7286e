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
        assertThat(fit.halfWidth()).isCloseTo(0.0, within(1e-9)); // exact data: no residuals
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
    void throughTwoPointsThereIsNoIntervalAndNoRSquared() {
        LogLogFit two = LogLogFit.fit(List.of(1024.0, 2048.0), List.of(1.0, 3.0));
        assertThat(two.exponent()).isCloseTo(Math.log(3) / Math.log(2), within(1e-12));
        assertThat(two.r2()).isNull();
        assertThat(two.halfWidth()).isNull();
        assertThat(two.hasInterval()).isFalse();
        assertThat(two.describe()).contains("2 points: no interval");
    }

    @Test
    void repeatNoiseWidensTheIntervalAroundTheTrueExponent() {
        // y = x^2 with +-10% noise on three repeats of four sizes
        double[] noise = {1.1, 0.9, 1.0, 0.95, 1.05, 1.0, 1.1, 0.92, 0.97, 1.0, 1.08, 0.9};
        List<Double> xs = new java.util.ArrayList<>();
        List<Double> ys = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            double x = 1024 << (i % 4);
            xs.add(x);
            ys.add(x * x * noise[i]);
        }
        LogLogFit fit = LogLogFit.fit(xs, ys);
        assertThat(fit.points()).isEqualTo(12);
        assertThat(fit.sizes()).isEqualTo(4);
        assertThat(fit.low()).isLessThan(2.0);
        assertThat(fit.high()).isGreaterThan(2.0);
        assertThat(fit.halfWidth()).isBetween(0.01, 0.2);
        assertThat(fit.r2()).isBetween(0.9, 1.0);
    }
}
