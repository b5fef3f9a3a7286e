package attentionlab.experiments.claims;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;

/**
 * One claim's entry in claims.json.
 *
 * @param quickReductions what quick mode measured less of (empty for a full run): the verdict holds for
 *     what was measured, not more ({@link #verdictText()})
 * @param reason why the claim did not run, or a short note on a failing check; null when it holds
 * @param note the claim's remark on its measurement conditions, or null
 * @param measured the claim's measurement record (null when not run)
 * @param evidence files relative to the report directory
 */
public record ClaimResult(String id, String homeworkPart, String prediction, Object measured, String tolerance,
                          Verdict verdict, List<String> quickReductions, String reason, String note, List<Check> checks,
                          List<String> evidence, double seconds) {

    /** Verdict from checks: holds iff there is at least one check and all pass. */
    public static Verdict verdictOf(List<Check> checks) {
        return !checks.isEmpty() && checks.stream().allMatch(Check::passed) ? Verdict.HOLDS : Verdict.FAILS;
    }

    /** The verdict as a reader sees it: "holds", or "holds (quick: 1 of 3 seeds, 150 of 400 steps)". */
    @JsonIgnore
    public String verdictText() {
        return verdict.label() + Reductions.suffix(quickReductions);
    }

    /** Measures and judges one claim; never throws. */
    public static <M> ClaimResult evaluate(Claim<M> claim, ClaimContext context) {
        long start = System.nanoTime();
        try {
            M measured = claim.measure(context);
            List<Check> checks = claim.judge(measured);
            Verdict verdict = verdictOf(checks);
            String reason = verdict == Verdict.HOLDS ? null : checks.isEmpty() ? "no checks were made"
                    : "outside tolerance: " + String.join("; ", checks.stream().filter(c -> !c.passed()).map(Check::what).toList());
            return new ClaimResult(claim.id(), claim.homeworkPart(), claim.prediction(), measured, claim.tolerance(),
                    verdict, context.reductions(), reason, claim.note(measured), checks, context.evidence(), seconds(start));
        } catch (ClaimNotRunnable e) {
            return notRun(claim, context, e.getMessage(), start);
        } catch (Exception | OutOfMemoryError e) {
            return notRun(claim, context, "measurement failed: " + e, start);
        }
    }

    private static ClaimResult notRun(Claim<?> claim, ClaimContext context, String reason, long start) {
        return new ClaimResult(claim.id(), claim.homeworkPart(), claim.prediction(), null, claim.tolerance(),
                Verdict.NOT_RUN, List.of(), reason, null, List.of(), context.evidence(), seconds(start));
    }

    static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
