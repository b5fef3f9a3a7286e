package attentionlab.experiments.claims;

import static org.assertj.core.api.Assertions.assertThat;

import attentionlab.experiments.claims.homework.ArgmaxStallClaim;
import attentionlab.experiments.claims.homework.ValueTwoXClaim;
import attentionlab.experiments.compare.RunRecord;
import attentionlab.experiments.layout.RunStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** argmax-stall and value-2x read their measurements from run files (summary.json, metrics.csv) as the training module writes them. */
class ArgmaxStallReadingTest {

    @TempDir
    Path tmp;

    private Path run(String variant, long seed, String qGrad, String summaryGrads, String unchanged, double acc) throws Exception {
        Path dir = tmp.resolve("argmax-stall/20260101-000000/" + variant + "-s" + seed);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("metrics.csv"), "step,wall_time_s,val/accuracy,grad_norm/layer0_attention_W_q_weight,"
                + "grad_norm/layer0_attention_W_v_weight\n0,0,0.06,0,0.5\n10,1," + acc + "," + qGrad + ",0.4\n");
        Files.writeString(dir.resolve("summary.json"), "{\"variant\":\"" + variant + "\",\"seed\":" + seed + ",\"status\":\"completed\","
                + "\"chance_accuracy\":0.0625,\"final\":{\"val/accuracy\":" + acc + "},\"max_abs_grad\":{" + summaryGrads + "},"
                + "\"unchanged_parameters\":[" + unchanged + "]}");
        return dir;
    }

    @Test
    void zeroGradientsAndUnchangedWeightsComeFromTheRunFiles() throws Exception {
        String argmaxGrads = "\"layer0_attention_W_q_weight\":0.0,\"layer0_attention_W_q_bias\":0.0,\"layer0_attention_W_k_weight\":0.0,"
                + "\"layer0_attention_W_v_weight\":0.7,\"layer0_attention_W_o_weight\":0.2";
        String same = "\"layer0_attention_W_q_weight\",\"layer0_attention_W_k_weight\",\"layer0_attention_W_q_bias\"";
        List<RunRecord> argmax = List.of(
                RunRecord.load(run("argmax", 0, "0", argmaxGrads, same, 0.3)),
                RunRecord.load(run("argmax", 1, "0", argmaxGrads, same, 0.4)));
        ArgmaxStallClaim.Variant v = ArgmaxStallClaim.variant("argmax", argmax);
        assertThat(v.maxAbsGrad()).containsEntry("W_q", 0.0).containsEntry("W_k", 0.0).containsEntry("W_v", 0.7).containsEntry("W_o", 0.2);
        assertThat(v.maxLoggedGradNorm()).containsEntry("W_q", 0.0).containsEntry("W_v", 0.5);
        assertThat(v.unchanged()).containsEntry("W_q", true).containsEntry("W_k", true).containsEntry("W_v", false);
        assertThat(v.finalValAccuracy()).isEqualTo(0.35, org.assertj.core.api.Assertions.within(1e-12));

        String softmaxGrads = "\"layer0_attention_W_q_weight\":0.01,\"layer0_attention_W_k_weight\":0.02,"
                + "\"layer0_attention_W_v_weight\":0.7,\"layer0_attention_W_o_weight\":0.2";
        ArgmaxStallClaim.Variant s = ArgmaxStallClaim.variant("softmax",
                List.of(RunRecord.load(run("softmax", 0, "1e-3", softmaxGrads, "", 0.99))));
        assertThat(s.maxAbsGrad().get("W_q")).isEqualTo(0.01);
        assertThat(s.maxLoggedGradNorm().get("W_q")).isEqualTo(1e-3);
        assertThat(s.unchanged()).containsEntry("W_q", false);
    }

    @Test
    void argmaxStallGroupsRunsByVariantAndReadsTheChanceLevel() throws Exception {
        String grads = "\"layer0_attention_W_q_weight\":0.0,\"layer0_attention_W_k_weight\":0.0,\"layer0_attention_W_v_weight\":0.7";
        List<RunRecord> runs = List.of(RunRecord.load(run("softmax", 0, "0.1", grads, "", 1.0)),
                RunRecord.load(run("argmax", 0, "0", grads, "", 0.25)), RunRecord.load(run("argmax", 1, "0", grads, "", 0.5)));
        ArgmaxStallClaim.Measured m = ArgmaxStallClaim.fromRuns(runs);
        assertThat(m.variants().keySet()).containsExactly("softmax", "argmax");
        assertThat(m.variants().get("argmax").statuses()).hasSize(2);
        assertThat(m.variants().get("argmax").finalValAccuracy()).isEqualTo(0.375);
        assertThat(m.chance()).isEqualTo(0.0625);
        assertThat(m.experimentDir()).isEqualTo(tmp.resolve("argmax-stall/20260101-000000").toString());
        ArgmaxStallClaim.Measured none = ArgmaxStallClaim.fromRuns(List.of());
        assertThat(none.variants()).isEmpty();
        assertThat(none.chance()).isNaN();
        assertThat(none.experimentDir()).isNull();
    }

    @Test
    void valueTwoXReadsStatusesAndMeanFinalAccuracyPerVariant() throws Exception {
        List<RunRecord> runs = List.of(RunRecord.load(run("standard", 0, "0.1", "", "", 1.0)),
                RunRecord.load(run("value-2x", 0, "0.1", "", "", 0.5)), RunRecord.load(run("value-2x", 1, "0.1", "", "", 0.75)));
        ValueTwoXClaim.TrainingOutcome t = ValueTwoXClaim.outcome(runs);
        assertThat(t.variants().get("value-2x")).containsExactly(RunStatus.COMPLETED, RunStatus.COMPLETED);
        assertThat(t.finalValAccuracy()).containsEntry("standard", 1.0).containsEntry("value-2x", 0.625);
        assertThat(t.chance()).isEqualTo(0.0625);
        assertThat(ValueTwoXClaim.outcome(List.of()).experimentDir()).isNull();
    }
}
