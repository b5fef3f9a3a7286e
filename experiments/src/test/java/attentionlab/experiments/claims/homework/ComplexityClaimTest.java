package attentionlab.experiments.claims.homework;

import static org.assertj.core.api.Assertions.assertThat;

import attentionlab.experiments.bench.AttentionTiming;
import attentionlab.experiments.bench.FakeTimer;
import attentionlab.experiments.bench.MachineLoad;
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
 * The complexity claim's operation-count part on small sizes (timing is never asserted): the project's
 * kernels hold, and implementations of the wrong order make it fail. Its timing judge and timing path on
 * synthetic times.
 */
class ComplexityClaimTest {

    @TempDir
    static Path dir;

    @BeforeAll
    static void plant() {
        PlantedKernels.register();
    }

    private static ClaimResult run(String linearKernel) {
        return evaluate(new ComplexityClaim(new ComplexityClaim.Plan("softmax", linearKernel, List.of(256, 512), List.of(16, 32), null),
                null));
    }

    private static ClaimResult evaluate(ComplexityClaim claim) {
        return ClaimResult.evaluate(claim, new ClaimContext("complexity", dir, true, new PrintStream(new ByteArrayOutputStream())));
    }

    private static List<String> failed(ClaimResult r) {
        return r.checks().stream().filter(c -> !c.passed()).map(Check::what).toList();
    }

    @Test
    void theProjectsKernelsHoldOnOperationCounts() {
        ClaimResult r = run("quadratic");
        assertThat(r.verdict()).as(r.reason() + " " + r.checks()).isEqualTo(Verdict.HOLDS);
        assertThat(r.checks()).hasSize(9);
        assertThat(r.note()).contains("products are").contains("timing not measured");
    }

    @Test
    void aKernelThatMaterialisesTheNxNMatrixFails() {
        ClaimResult r = run(PlantedKernels.MATERIALISED);
        assertThat(r.verdict()).isEqualTo(Verdict.FAILS);
        assertThat(failed(r)).anyMatch(w -> w.startsWith(PlantedKernels.MATERIALISED + " FLOPs growth exponent in N"))
                .anyMatch(w -> w.startsWith(PlantedKernels.MATERIALISED + " allocated bytes growth exponent"));
    }

    @Test
    void featureMapsOfTheWrongWidthFail() {
        for (String kernel : List.of(PlantedKernels.WIDE_MAP, PlantedKernels.NARROW_MAP)) {
            ClaimResult r = run(kernel);
            assertThat(r.verdict()).as(kernel).isEqualTo(Verdict.FAILS);
            assertThat(failed(r)).as(kernel).anyMatch(w -> w.startsWith(kernel + " FLOPs / (N D^2 M)"));
        }
    }

    // ---- timing judge on synthetic times (never measured in tests) ----

    private static AttentionTiming.Result timing(double linearExponent, double noise, int rounds) {
        AttentionTiming.Plan plan = new AttentionTiming.Plan(List.of(1024, 2048, 4096, 8192, 16384), 16, List.of(16, 32, 64, 128),
                4096, List.of("forward"), 1024, rounds, 1, 3, 0.3, 0);
        List<AttentionTiming.Time> times = new java.util.ArrayList<>();
        java.util.Random random = new java.util.Random(1);
        for (String sweep : List.of("N", "D")) {
            for (int x : sweep.equals("N") ? plan.sizesN() : plan.sizesD()) {
                int n = sweep.equals("N") ? x : 4096;
                int d = sweep.equals("N") ? 16 : x;
                for (String kernel : List.of("softmax", "quadratic")) {
                    double[] s = new double[rounds];
                    for (int i = 0; i < rounds; i++) {
                        double base = kernel.equals("softmax") ? 1e-10 * n * n * d
                                : 1e-9 * Math.pow(n, linearExponent) * d * d * d / 4096.0;
                        s[i] = base * (1 + noise * random.nextGaussian());
                    }
                    times.add(new AttentionTiming.Time(sweep, kernel, "forward", n, d, s, null));
                }
            }
        }
        return new AttentionTiming.Result(plan, times, new MachineLoad(0.1, 1.1, 2, 1, 300));
    }

    private static List<Check> timeChecks(AttentionTiming.Result r) {
        return ComplexityJudge.timeChecks(r, "softmax", "quadratic");
    }

    @Test
    void timeSlopesFailOnlyWhenTheirIntervalLiesAbovePrediction() {
        assertThat(timeChecks(timing(1, 0.05, 5))).allMatch(Check::passed);
        List<Check> steeper = timeChecks(timing(2, 0.05, 5)); // an N^2 "linear" form
        assertThat(steeper.stream().filter(c -> !c.passed()).map(Check::what))
                .anyMatch(w -> w.startsWith("quadratic time slope in N"))
                .anyMatch(w -> w.startsWith("quadratic time / O-term at N = 16384 over N = 4096"));
        List<Check> falling = timeChecks(timing(-1, 0.01, 5)); // time falls as N grows: implausible
        assertThat(falling).anyMatch(c -> c.what().startsWith("quadratic time slope in N") && !c.passed());
    }

    @Test
    void oneRoundPerSizeIsNotEnoughToJudgeASlope() {
        AttentionTiming.Result one = timing(1, 0, 1);
        AttentionTiming.Result twoSizes = new AttentionTiming.Result(one.plan(), one.times().stream()
                .filter(t -> t.x() == 1024 || t.x() == 2048 || t.sweep().equals("D")).toList(), one.load());
        assertThat(timeChecks(twoSizes)).anyMatch(c -> c.what().startsWith("softmax time slope in N")
                && !c.passed() && c.tolerance().contains("needs a 95% interval"));
    }

    // ---- the claim's timing path on fake timings ----

    /** softmax 1e-10 N^2 D s, the linear form 1e-9 N^p D^3 s (D = M), times each round's noise. */
    private static ClaimResult timed(double linearExponent, boolean busy) {
        FakeTimer.Seconds seconds = (p, round) -> {
            int n = FakeTimer.param(p, "n");
            int d = FakeTimer.param(p, "d");
            return (p.params().get("kernel").equals("softmax") ? 1e-10 * n * n * d : 1e-9 * Math.pow(n, linearExponent) * d * d * d)
                    * FakeTimer.noise(round);
        };
        AttentionTiming.Plan timing = new AttentionTiming.Plan(List.of(256, 512, 1024), 16, List.of(16, 32, 64), 256, List.of("forward"),
                256, 3, 1, 3, 0.3, 0);
        return evaluate(new ComplexityClaim(new ComplexityClaim.Plan("softmax", "quadratic", List.of(256, 512), List.of(16), timing),
                busy ? FakeTimer.busy(seconds) : FakeTimer.idle(seconds)));
    }

    @Test
    void timedAsTheOTermsPredictTheClaimHoldsOnCountsAndTime() {
        ClaimResult r = timed(1, false);
        assertThat(r.verdict()).as(r.reason() + " " + r.checks()).isEqualTo(Verdict.HOLDS);
        assertThat(r.checks()).anyMatch(c -> c.what().startsWith("quadratic time slope in N"))
                .anyMatch(c -> c.what().startsWith("softmax time / O-term at D = 64"));
        assertThat(r.evidence()).anyMatch(e -> e.contains("time-vs-N"));
    }

    @Test
    void aLinearFormTimedAsNSquaredFailsAndABusyMachineIsNotMeasured() {
        ClaimResult steep = timed(2, false);
        assertThat(steep.verdict()).isEqualTo(Verdict.FAILS);
        assertThat(failed(steep)).anyMatch(w -> w.startsWith("quadratic time slope in N"));
        ClaimResult busy = timed(1, true);
        assertThat(busy.verdict()).isEqualTo(Verdict.NOT_RUN);
        assertThat(busy.reason()).startsWith("not measured: machine busy");
    }

    @Test
    void theMachineIsBusyWhenOtherLoadLeavesATimingThreadNoCore() {
        assertThat(MachineLoad.busyAt(0.9, 2, 1)).isFalse();
        assertThat(MachineLoad.busyAt(1.2, 2, 1)).isTrue();
        assertThat(new MachineLoad(0.2, 0.9, 2, 1, 600).busy()).isFalse();
        MachineLoad atEnd = new MachineLoad(0.2, 1.5, 2, 1, 600); // another process started during the timing
        assertThat(atEnd.busy()).isTrue();
        assertThat(atEnd.busyReason()).startsWith("not measured: machine busy (other processes' load 1.50 on 2 cores");
        assertThat(new MachineLoad(1.3, 0.1, 2, 1, 600).busy()).isTrue();
    }
}
