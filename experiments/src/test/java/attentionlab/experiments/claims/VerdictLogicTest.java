package attentionlab.experiments.claims;

import static org.assertj.core.api.Assertions.assertThat;

import attentionlab.experiments.claims.homework.ArgmaxExampleClaim;
import attentionlab.experiments.claims.homework.ArgmaxStallClaim;
import attentionlab.experiments.claims.homework.KernelPositivityClaim;
import attentionlab.experiments.claims.homework.MhaShapesClaim;
import attentionlab.experiments.claims.homework.QuadraticKernelClaim;
import attentionlab.experiments.claims.homework.ScalingStatsClaim;
import attentionlab.experiments.claims.homework.ValueTwoXClaim;
import attentionlab.experiments.layout.RunStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each claim's judging on hand-made measurements: holds inside the tolerance, flips to fails when one
 * measured value moves outside it. No engine work: judging is a pure function of the measurement.
 */
class VerdictLogicTest {

    static <M> Verdict verdict(Claim<M> claim, M measured) {
        return ClaimResult.verdictOf(claim.judge(measured));
    }

    @Test
    void scalingStatsUsesThreeStandardErrors() {
        ScalingStatsClaim claim = new ScalingStatsClaim();
        // d = 16, mu = 0, sigma = 1: E = 0, Var = 16, scaled 1. SE of the mean 0.1: 0.29 is 2.9 SE away.
        var inside = new ScalingStatsClaim.Case(16, 0, 1, 1000, 0.29, 0.1, 16.5, 0.2, 16.5 / 16, 0.2 / 16);
        var meanOff = new ScalingStatsClaim.Case(16, 0, 1, 1000, 0.31, 0.1, 16.5, 0.2, 16.5 / 16, 0.2 / 16);
        var varOff = new ScalingStatsClaim.Case(16, 0, 1, 1000, 0.0, 0.1, 16.7, 0.2, 16.7 / 16, 0.2 / 16);
        var shifted = new ScalingStatsClaim.Case(4, 0.5, 2, 1000, 1.0, 0.1, 4 * 16 + 2 * 4 * 1.0, 1, 0, 0); // E = 1, Var = 72
        assertThat(verdict(claim, new ScalingStatsClaim.Measured(1, List.of(inside, shifted)))).isEqualTo(Verdict.HOLDS);
        assertThat(verdict(claim, new ScalingStatsClaim.Measured(1, List.of(meanOff)))).isEqualTo(Verdict.FAILS);
        assertThat(verdict(claim, new ScalingStatsClaim.Measured(1, List.of(varOff)))).isEqualTo(Verdict.FAILS);
        var wrongPrediction = new ScalingStatsClaim.Case(4, 0.5, 2, 1000, 1.0, 0.1, 64, 1, 0, 0); // Var without 2 s^2 |mu|^2
        assertThat(verdict(claim, new ScalingStatsClaim.Measured(1, List.of(wrongPrediction)))).isEqualTo(Verdict.FAILS);
    }

    @Test
    void argmaxExampleIsExact() {
        ArgmaxExampleClaim claim = new ArgmaxExampleClaim();
        double[] softmax = {1, 4, 3};
        assertThat(verdict(claim, new ArgmaxExampleClaim.Measured(new double[] {3, 11, 5, 2}, new double[] {1, 4, 3}, softmax)))
                .isEqualTo(Verdict.HOLDS);
        assertThat(verdict(claim, new ArgmaxExampleClaim.Measured(new double[] {3, 11, 5, 2}, new double[] {0, -1, 4}, softmax)))
                .isEqualTo(Verdict.FAILS);
        assertThat(verdict(claim, new ArgmaxExampleClaim.Measured(new double[] {3, 11, 5, 3}, new double[] {1, 4, 3}, softmax)))
                .isEqualTo(Verdict.FAILS);
    }

    @Test
    void mhaShapesNeedSquareProjectionsAndLoopAgreement() {
        MhaShapesClaim claim = new MhaShapesClaim();
        assertThat(verdict(claim, mha(64, 1e-6))).isEqualTo(Verdict.HOLDS);
        assertThat(verdict(claim, mha(64, 1e-3))).isEqualTo(Verdict.FAILS);
        assertThat(verdict(claim, mha(128, 1e-6))).isEqualTo(Verdict.FAILS); // W_v [128, 64]
    }

    private static MhaShapesClaim.Measured mha(long valueRows, double loopError) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        shapes.put("W_q", new long[] {64, 64});
        shapes.put("W_k", new long[] {64, 64});
        shapes.put("W_v", new long[] {valueRows, 64});
        shapes.put("W_o", new long[] {64, 64});
        return new MhaShapesClaim.Measured(64, 4, shapes, new long[] {2, 4, 7, 16}, 0, Map.of("none", loopError, "causal", 1e-7));
    }

    @Test
    void kernelPositivityNeedsNonNegativeSimilaritiesPositiveDenominatorsAndTheGuard() {
        KernelPositivityClaim claim = new KernelPositivityClaim();
        var ok = new KernelPositivityClaim.Case("quadratic", 1, 0, 100, 5);
        var rounding = new KernelPositivityClaim.Case("quadratic", 1, -1e-11, 100, 5); // -1e-13 relative: float64 rounding
        var negative = new KernelPositivityClaim.Case("quadratic", 1, -1e-6, 100, 5);
        var zeroRow = new KernelPositivityClaim.Case("softmax", 1, 0.1, 100, 0);
        assertThat(verdict(claim, positivity(List.of(ok, rounding), true, true))).isEqualTo(Verdict.HOLDS);
        assertThat(verdict(claim, positivity(List.of(ok, negative), true, true))).isEqualTo(Verdict.FAILS);
        assertThat(verdict(claim, positivity(List.of(zeroRow), true, true))).isEqualTo(Verdict.FAILS);
        assertThat(verdict(claim, positivity(List.of(ok), false, true))).isEqualTo(Verdict.FAILS);
        assertThat(verdict(claim, positivity(List.of(ok), true, false))).isEqualTo(Verdict.FAILS);
    }

    private static KernelPositivityClaim.Measured positivity(List<KernelPositivityClaim.Case> cases, boolean finite, boolean rejected) {
        return new KernelPositivityClaim.Measured(cases, 0, finite, -3.5, rejected, "");
    }

    @Test
    void quadraticKernelChecksFeatureCountAndBothForms() {
        QuadraticKernelClaim claim = new QuadraticKernelClaim();
        var w8 = new QuadraticKernelClaim.Width(8, 45, 1e-16);
        assertThat(verdict(claim, new QuadraticKernelClaim.Measured(List.of(w8), Map.of("causal", 1e-15)))).isEqualTo(Verdict.HOLDS);
        assertThat(verdict(claim, new QuadraticKernelClaim.Measured(List.of(new QuadraticKernelClaim.Width(8, 73, 1e-16)),
                Map.of("causal", 1e-15)))).isEqualTo(Verdict.FAILS); // 1 + D + D^2, no symmetric pairs merged
        assertThat(verdict(claim, new QuadraticKernelClaim.Measured(List.of(w8), Map.of("causal", 1e-6)))).isEqualTo(Verdict.FAILS);
    }

    @Test
    void valueTwoXNeedsTheNamedFailureAndTheFixedShapes() {
        ValueTwoXClaim claim = new ValueTwoXClaim();
        String message = "W_o is declared for 64 inputs but the heads produce 128 (value_dim)";
        var training = new ValueTwoXClaim.TrainingOutcome("dir", 0.0625, Map.of("value-2x", List.of(RunStatus.COMPLETED)), Map.of("value-2x", 0.97));
        long[] heads = {2, 4, 5, 32};
        long[] wv = {128, 64};
        long[] wo = {64, 128};
        long[] out = {2, 5, 64};
        assertThat(verdict(claim, new ValueTwoXClaim.Measured(message, heads, wv, wo, out, training))).isEqualTo(Verdict.HOLDS);
        assertThat(verdict(claim, new ValueTwoXClaim.Measured(null, heads, wv, wo, out, training))).isEqualTo(Verdict.FAILS);
        assertThat(verdict(claim, new ValueTwoXClaim.Measured("mat1 and mat2 shapes cannot be multiplied", heads, wv, wo, out, training)))
                .isEqualTo(Verdict.FAILS);
        assertThat(verdict(claim, new ValueTwoXClaim.Measured(message, heads, wv, new long[] {64, 64}, out, training)))
                .isEqualTo(Verdict.FAILS);
        assertThat(verdict(claim, new ValueTwoXClaim.Measured(message, heads, wv, wo, new long[] {2, 5, 128}, training)))
                .isEqualTo(Verdict.FAILS);
        var untrained = new ValueTwoXClaim.TrainingOutcome("dir", 0.0625, Map.of("value-2x", List.of(RunStatus.COMPLETED)), Map.of("value-2x", 0.2));
        var failed = new ValueTwoXClaim.TrainingOutcome("dir", 0.0625, Map.of("value-2x", List.of(RunStatus.FAILED)), Map.of());
        assertThat(verdict(claim, new ValueTwoXClaim.Measured(message, heads, wv, wo, out, failed))).isEqualTo(Verdict.FAILS);
        assertThat(verdict(claim, new ValueTwoXClaim.Measured(message, heads, wv, wo, out, untrained))).isEqualTo(Verdict.FAILS);
    }

    @Test
    void argmaxStallNeedsExactZerosUnchangedWeightsAndTheAccuracyGap() {
        ArgmaxStallClaim claim = new ArgmaxStallClaim();
        assertThat(verdict(claim, stall(0, true, 0.99, 0.35))).isEqualTo(Verdict.HOLDS);
        assertThat(verdict(claim, stall(1e-12, true, 0.99, 0.35))).isEqualTo(Verdict.FAILS); // a tiny gradient is not zero
        assertThat(verdict(claim, stall(0, false, 0.99, 0.35))).isEqualTo(Verdict.FAILS);
        assertThat(verdict(claim, stall(0, true, 0.85, 0.35))).isEqualTo(Verdict.FAILS); // softmax did not solve it
        assertThat(verdict(claim, stall(0, true, 0.99, 0.75))).isEqualTo(Verdict.FAILS); // argmax too close
    }

    private static ArgmaxStallClaim.Measured stall(double argmaxQkGrad, boolean unchanged, double softmaxAcc, double argmaxAcc) {
        Map<String, Double> argmaxGrad = Map.of("W_q", argmaxQkGrad, "W_k", 0.0, "W_v", 0.3, "W_o", 0.5);
        Map<String, Double> softGrad = Map.of("W_q", 0.1, "W_k", 0.1, "W_v", 0.3, "W_o", 0.5);
        Map<String, Boolean> same = Map.of("W_q", unchanged, "W_k", true, "W_v", false, "W_o", false);
        Map<String, Boolean> moved = Map.of("W_q", false, "W_k", false, "W_v", false, "W_o", false);
        Map<String, ArgmaxStallClaim.Variant> variants = new LinkedHashMap<>();
        variants.put("softmax", new ArgmaxStallClaim.Variant("softmax", List.of(RunStatus.COMPLETED), softmaxAcc, 0, softGrad, softGrad, moved));
        variants.put("argmax", new ArgmaxStallClaim.Variant("argmax", List.of(RunStatus.COMPLETED), argmaxAcc, 0, argmaxGrad, argmaxGrad, same));
        return new ArgmaxStallClaim.Measured("dir", 0.0625, variants);
    }

    @Test
    void noChecksMeansNoHold() {
        assertThat(ClaimResult.verdictOf(List.of())).isEqualTo(Verdict.FAILS);
    }
}
