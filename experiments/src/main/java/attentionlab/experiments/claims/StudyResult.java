package attentionlab.experiments.claims;

import java.util.List;

/**
 * One study's entry in claims.json (no verdict).
 *
 * @param error why it did not complete, or null
 */
public record StudyResult(String id, String title, String question, Object measured, String findings, String error,
                          List<String> evidence, double seconds) {

    /** Runs one study; never throws. */
    public static <M> StudyResult evaluate(Study<M> study, ClaimContext context) {
        long start = System.nanoTime();
        try {
            M measured = study.measure(context);
            return new StudyResult(study.id(), study.title(), study.question(), measured, study.findings(measured), null,
                    context.evidence(), (System.nanoTime() - start) / 1e9);
        } catch (ClaimNotRunnable e) {
            return failed(study, context, "not run: " + e.getMessage(), start);
        } catch (Exception | OutOfMemoryError e) {
            return failed(study, context, "measurement failed: " + e, start);
        }
    }

    private static StudyResult failed(Study<?> study, ClaimContext context, String error, long start) {
        return new StudyResult(study.id(), study.title(), study.question(), null, null, error, context.evidence(),
                (System.nanoTime() - start) / 1e9);
    }
}
