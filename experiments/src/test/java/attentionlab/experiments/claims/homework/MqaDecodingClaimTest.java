package attentionlab.experiments.claims.homework;

import static org.assertj.core.api.Assertions.assertThat;

import attentionlab.experiments.bench.FakeTimer;
import attentionlab.experiments.claims.Check;
import attentionlab.experiments.claims.ClaimContext;
import attentionlab.experiments.claims.ClaimResult;
import attentionlab.experiments.claims.Verdict;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mqa-decoding judged on the executed ops of decoding steps (timing is never asserted): the project's
 * decoder holds; a kernel that reads each cached head h times makes it fail.
 */
class MqaDecodingClaimTest {

    @TempDir
    static Path dir;

    @BeforeAll
    static void plant() {
        PlantedKernels.register();
    }

    private static ClaimResult run(String kernel) {
        MqaDecodingClaim claim = new MqaDecodingClaim(MqaCost.Plan.countsOnly(kernel));
        return ClaimResult.evaluate(claim, new ClaimContext("mqa-decoding", dir, true, new PrintStream(new ByteArrayOutputStream())));
    }

    @Test
    void theProjectsDecoderHoldsAndTheRecurrentStateIsFlatInN() {
        ClaimResult r = run("softmax");
        assertThat(r.verdict()).as(r.reason() + " " + r.checks()).isEqualTo(Verdict.HOLDS);
        MqaCost.Result cost = ((MqaDecodingClaim.Measured) r.measured()).cost();
        assertThat(MqaCost.perToken(cost, "MHA") / MqaCost.perToken(cost, "MQA")).isBetween(4.0, 8.0);
        assertThat(r.note()).contains("Recurrent quadratic-linear form beside MQA").contains("time per step not measured");
    }

    @Test
    void readingEachCachedHeadHTimesFlipsTheVerdict() {
        ClaimResult r = run(PlantedKernels.PER_HEAD_READ);
        assertThat(r.verdict()).as(r.reason()).isEqualTo(Verdict.FAILS);
        assertThat(r.checks().stream().filter(c -> !c.passed()).map(Check::what).toList())
                .anyMatch(w -> w.startsWith("bytes per extra cached token, MHA / MQA"))
                .anyMatch(w -> w.startsWith("MQA: executed bytes per step / 4 (d^2 + b d + b n d / h)"));
        // the planted kernel still decodes correctly: only the cost tells it apart
        assertThat(r.checks()).filteredOn(c -> c.what().contains("cached decoding")).allMatch(Check::passed);
    }

    /** The points the claim's timing asks the engine for name DecodeBench's parameters and run. */
    @Test
    void theTimedStepIsARunnableEnginePoint() {
        FakeTimer.runInProcess(MqaCost.point("softmax", 16, 4, 1, 2, 8));
        FakeTimer.runInProcess(MqaCost.point("quadratic", 16, 4, 4, 2, 8));
    }
}
