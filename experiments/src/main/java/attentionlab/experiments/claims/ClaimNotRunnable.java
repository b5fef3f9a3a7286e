package attentionlab.experiments.claims;

/** Thrown by {@link Claim#measure} when what the claim needs to measure is not available; the claim is reported not-run. */
public class ClaimNotRunnable extends Exception {

    public ClaimNotRunnable(String reason) {
        super(reason);
    }
}
