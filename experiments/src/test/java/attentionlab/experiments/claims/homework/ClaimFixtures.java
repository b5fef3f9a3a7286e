package attentionlab.experiments.claims.homework;

import attentionlab.experiments.claims.Check;
import attentionlab.experiments.claims.Claim;
import attentionlab.experiments.claims.ClaimContext;
import attentionlab.experiments.claims.ClaimResult;
import attentionlab.experiments.claims.Verdict;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/** Measuring and judging one claim in a test, in quick mode, with its progress lines dropped. */
final class ClaimFixtures {

    private ClaimFixtures() {}

    static ClaimContext quickContext(String id, Path dir) {
        return new ClaimContext(id, dir, true, new PrintStream(OutputStream.nullOutputStream()));
    }

    static <M> List<Check> measureAndJudge(Claim<M> claim, Path dir) throws Exception {
        return claim.judge(claim.measure(quickContext(claim.id(), dir)));
    }

    static <M> Verdict verdict(Claim<M> claim, Path dir) throws Exception {
        return ClaimResult.verdictOf(measureAndJudge(claim, dir));
    }

    /** The names of the checks that failed. */
    static List<String> failing(List<Check> checks) {
        return checks.stream().filter(c -> !c.passed()).map(Check::what).toList();
    }
}
