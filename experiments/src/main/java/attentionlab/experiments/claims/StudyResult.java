package attentionlab.experiments.claims;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;

/**
 * One study's entry in claims.json (no verdict).
 *
 * @param quickReductions what quick mode measured less of (empty for a full run)
 * @param error why it did not complete, or null
 */
public record StudyResult(String id, String title, String question, Object measured, String findings,
                          List<String> quickReductions, String error, List<String> evidence, double seconds) {

    /** "Findings" as a reader sees the label: "Findings (quick: 1 of 3 seeds, 150 of 400 steps)". */
    @JsonIgnore
    public String findingsLabel() {
        return "Findings" + Reductions.suffix(quickReductions) + ".";
    }

    /** Runs one study; never throws. */
    public static <M> StudyResult evaluate(Study<M> study, ClaimContext context) {
        long start = System.nanoTime();
        try {
            M measured = study.measure(context);
            return new StudyResult(study.id(), study.title(), study.question(), measured, study.findings(measured),
                    context.reductions(), null, context.evidence(), ClaimResult.seconds(start));
        } catch (ClaimNotRunnable e) {
            return failed(study, context, "not run: " + e.getMessage(), start);
        } catch (Exception | OutOfMemoryError e) {
            return failed(study, context, "measurement failed: " + e, start);
        }
    }

    private static StudyResult failed(Study<?> study, ClaimContext context, String error, long start) {
        return new StudyResult(study.id(), study.title(), study.question(), null, null, List.of(), error, context.evidence(),
                ClaimResult.seconds(start));
    }
}
