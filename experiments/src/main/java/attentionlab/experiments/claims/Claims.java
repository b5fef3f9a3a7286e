package attentionlab.experiments.claims;

import attentionlab.experiments.claims.beyond.TemperatureSweepStudy;
import attentionlab.experiments.claims.homework.ArgmaxExampleClaim;
import attentionlab.experiments.claims.homework.KernelPositivityClaim;
import attentionlab.experiments.claims.homework.MhaShapesClaim;
import attentionlab.experiments.claims.homework.MqaDecodingClaim;
import attentionlab.experiments.claims.homework.QuadraticKernelClaim;
import attentionlab.experiments.claims.homework.ScalingStatsClaim;
import java.util.List;

/** The one list of claims (DESIGN.md order) and studies that {@code lab reproduce} runs. */
public final class Claims {

    private Claims() {}

    public static List<Claim<?>> all() {
        return List.of(
                new ScalingStatsClaim(),
                new ArgmaxExampleClaim(),
                new MhaShapesClaim(),
                new MqaDecodingClaim(),
                new KernelPositivityClaim(),
                new QuadraticKernelClaim());
    }

    public static List<Study<?>> studies() {
        return List.of(new TemperatureSweepStudy());
    }
}
