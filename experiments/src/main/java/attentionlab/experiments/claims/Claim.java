package attentionlab.experiments.claims;

import java.util.List;

/**
 * One claim of the homework, checked in two separate steps so that the judging can be tested on
 * any measurement: {@link #measure} takes fresh measurements (and writes evidence figures),
 * {@link #judge} compares them with the prediction within the stated tolerance and touches nothing.
 *
 * @param <M> the measurement: a record, written to claims.json as is
 */
public interface Claim<M> {

    /** The id used by {@code --only} and in claims.json (the table of claims in docs/design.md). */
    String id();

    /** Which part of the homework, e.g. "1(a-c)". */
    String homeworkPart();

    /** The homework's prediction, in one sentence. */
    String prediction();

    /** The tolerance, in one sentence (each check also states its own). */
    String tolerance();

    /**
     * Measures, in this invocation.
     *
     * @throws ClaimNotRunnable if the machinery this claim needs is not available
     */
    M measure(ClaimContext context) throws Exception;

    /** A remark on the conditions of a measurement for the report (e.g. machine load), or null. */
    default String note(M measured) {
        return null;
    }

    /** Compares a measurement with the prediction; a pure function of {@code measured}. */
    List<Check> judge(M measured);
}
