package attentionlab.experiments.claims;

import attentionlab.experiments.claims.beyond.ScalingInTrainingStudy;
import attentionlab.experiments.claims.beyond.SparseSpectrumStudy;
import attentionlab.experiments.claims.beyond.StraightThroughStudy;
import attentionlab.experiments.claims.beyond.TemperatureSweepStudy;
import attentionlab.experiments.claims.homework.ArgmaxExampleClaim;
import attentionlab.experiments.claims.homework.ArgmaxStallClaim;
import attentionlab.experiments.claims.homework.ComplexityClaim;
import attentionlab.experiments.claims.homework.KernelPositivityClaim;
import attentionlab.experiments.claims.homework.MhaShapesClaim;
import attentionlab.experiments.claims.homework.MqaDecodingClaim;
import attentionlab.experiments.claims.homework.QuadraticKernelClaim;
import attentionlab.experiments.claims.homework.ScalingStatsClaim;
import attentionlab.experiments.claims.homework.ValueTwoXClaim;
import java.util.List;

/** The one list of claims (in the order of docs/design.md) and studies that {@code lab reproduce} runs. */
public final class Claims {

    private Claims() {}

    public static List<Claim<?>> all() {
        return List.of(
                new ScalingStatsClaim(),
                new ArgmaxExampleClaim(),
                new ArgmaxStallClaim(),
                new MhaShapesClaim(),
                new ValueTwoXClaim(),
                new MqaDecodingClaim(),
                new KernelPositivityClaim(),
                new QuadraticKernelClaim(),
                new ComplexityClaim());
    }

    public static List<Study<?>> studies() {
        return List.of(new TemperatureSweepStudy(), new StraightThroughStudy(), new ScalingInTrainingStudy(),
                new SparseSpectrumStudy());
    }
}
