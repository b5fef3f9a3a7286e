package attentionlab.experiments.claims.homework;

import static attentionlab.experiments.claims.homework.ClaimFixtures.failing;
import static attentionlab.experiments.claims.homework.ClaimFixtures.measureAndJudge;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import attentionlab.experiments.claims.Check;
import attentionlab.models.kernel.AttentionKernel;
import attentionlab.models.kernel.AttentionKernels;
import attentionlab.models.kernel.KernelOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scaling-stats measures the project's softmax kernel: it holds on the registered kernel, and each
 * planted scaling bug turns it to fails on the checks of the kernel that carries the bug. Its standard
 * errors are the spread of its estimates over repeated draws (a wrong factor would widen or narrow
 * every tolerance).
 */
class ScalingStatsClaimTest {

    @TempDir
    Path tmp;

    private static final AttentionKernel SCALED = AttentionKernels.create("softmax");
    private static final AttentionKernel UNSCALED = AttentionKernels.create("softmax", new KernelOptions(1.0, false));

    @Test
    void holdsOnTheRegisteredSoftmaxKernel() throws Exception {
        List<Check> checks = measureAndJudge(new ScalingStatsClaim(), tmp);
        assertThat(failing(checks)).isEmpty();
        assertThat(checks).hasSize(24);
    }

    /** SoftmaxKernel without 1/sqrt(d): its logits have variance d, so every Var(logit) check but d = 1 fails. */
    @Test
    void softmaxWithoutItsScalingFailsTheLogitChecks() throws Exception {
        List<String> failing = failing(measureAndJudge(new ScalingStatsClaim(UNSCALED, UNSCALED), tmp));
        assertThat(failing).isNotEmpty().allMatch(c -> c.contains("softmax logit"));
        assertThat(failing.stream().filter(c -> c.startsWith("Var(softmax logit"))).hasSize(6);
    }

    /** A kernel that scales when told not to: q.k measured as q.k / sqrt(d). */
    @Test
    void aKernelThatAlwaysScalesFailsTheDotProductChecks() throws Exception {
        List<String> failing = failing(measureAndJudge(new ScalingStatsClaim(SCALED, SCALED), tmp));
        assertThat(failing).isNotEmpty().noneMatch(c -> c.contains("softmax logit"));
        assertThat(failing.stream().filter(c -> c.startsWith("Var(q.k)"))).hasSize(6);
    }

    /** A temperature of 2 left on (logits q.k / (2 sqrt d)): a quarter of the variance. */
    @Test
    void aStrayTemperatureFails() throws Exception {
        AttentionKernel warm = AttentionKernels.create("softmax", new KernelOptions(2.0, true));
        assertThat(failing(measureAndJudge(new ScalingStatsClaim(warm, UNSCALED), tmp))).isNotEmpty();
    }

    @Test
    void standardErrorsAreTheSpreadOfRepeatedEstimates() {
        int repeats = 40;
        ScalingStatsClaim.Case[] cases = new ScalingStatsClaim.Case[repeats];
        ScalingStatsClaim claim = new ScalingStatsClaim();
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(7);
            for (int i = 0; i < repeats; i++) {
                cases[i] = claim.sample(manager, 16, 0.5, 1, 2000);
            }
        }
        assertCalibrated(cases, ScalingStatsClaim.Case::meanDot, ScalingStatsClaim.Case::seMeanDot);
        assertCalibrated(cases, ScalingStatsClaim.Case::varDot, ScalingStatsClaim.Case::seVarDot);
        assertCalibrated(cases, ScalingStatsClaim.Case::meanScaled, ScalingStatsClaim.Case::seMeanScaled);
        assertCalibrated(cases, ScalingStatsClaim.Case::varScaled, ScalingStatsClaim.Case::seVarScaled);
    }

    /** The standard deviation of 40 estimates is within about 3 of its own standard errors (11%) of their mean reported SE. */
    private static void assertCalibrated(ScalingStatsClaim.Case[] cases, ToDoubleFunction<ScalingStatsClaim.Case> estimate,
                                         ToDoubleFunction<ScalingStatsClaim.Case> standardError) {
        double[] x = java.util.Arrays.stream(cases).mapToDouble(estimate).toArray();
        ScalingStatsClaim.Moments spread = ScalingStatsClaim.Moments.of(x);
        double reported = java.util.Arrays.stream(cases).mapToDouble(standardError).average().orElseThrow();
        assertThat(Math.sqrt(spread.variance()) / reported).isBetween(0.7, 1.35);
    }

    @Test
    void momentsMatchAHandComputation() {
        // x = 1..5: mean 3, s^2 = 10 / 4, SE(mean) = sqrt(2.5 / 5); m4 = (16 + 1 + 0 + 1 + 16) / 5 = 6.8,
        // SE(s^2) = sqrt((6.8 - 2.5^2 x 2 / 4) / 5) = sqrt(0.735).
        ScalingStatsClaim.Moments m = ScalingStatsClaim.Moments.of(new double[] {1, 2, 3, 4, 5});
        assertThat(m.mean()).isEqualTo(3, within(1e-15));
        assertThat(m.variance()).isEqualTo(2.5, within(1e-15));
        assertThat(m.seMean()).isEqualTo(Math.sqrt(0.5), within(1e-15));
        assertThat(m.seVariance()).isEqualTo(Math.sqrt(0.735), within(1e-15));
        ScalingStatsClaim.Moments shifted = ScalingStatsClaim.Moments.of(new double[] {11, 12, 13, 14, 15});
        assertThat(shifted.variance()).isEqualTo(2.5, within(1e-13));
        assertThat(shifted.seVariance()).isEqualTo(Math.sqrt(0.735), within(1e-13));
    }
}
