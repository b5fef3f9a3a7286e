package attentionlab.experiments.claims;

/**
 * A measurement beyond the homework: reported with its figures, without a verdict (the homework
 * predicts nothing to compare with).
 *
 * @param <M> the measurement record, written to claims.json as is
 */
public interface Study<M> {

    String id();

    String title();

    /** What the study asks, in one sentence. */
    String question();

    M measure(ClaimContext context) throws Exception;

    /** What the measurement shows, in one or two sentences computed from it. */
    String findings(M measured);
}
