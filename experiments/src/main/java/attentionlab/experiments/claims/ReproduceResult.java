package attentionlab.experiments.claims;

import java.nio.file.Path;
import java.util.List;

/** What {@link Reproduction#run} measured and wrote. */
public record ReproduceResult(Path dir, List<ClaimResult> claims, List<StudyResult> studies) {

    /** True iff at least one claim was run and every claim run holds ({@code --only <study>} runs none). */
    public boolean allHold() {
        return !claims.isEmpty() && claims.stream().allMatch(c -> c.verdict() == Verdict.HOLDS);
    }

    /** True iff every study run completed. */
    public boolean studiesCompleted() {
        return studies.stream().allMatch(s -> s.error() == null);
    }

    /**
     * The invocation's outcome (exit 0): every claim run holds and every study run completed. With
     * {@code --only <study>} no claim is judged; {@link #summary()} says so.
     */
    public boolean succeeded() {
        return (claims.isEmpty() || allHold()) && studiesCompleted();
    }

    public long count(Verdict verdict) {
        return claims.stream().filter(c -> c.verdict() == verdict).count();
    }

    /** One line: the verdict counts, or that no claim was judged, and how the studies went. */
    public String summary() {
        String claimPart = claims.isEmpty() ? "no claim judged (a study is measured, with no verdict)"
                : "claims: " + count(Verdict.HOLDS) + " of " + claims.size() + " hold, " + count(Verdict.FAILS) + " fail, "
                + count(Verdict.NOT_RUN) + " not run";
        long completed = studies.stream().filter(s -> s.error() == null).count();
        return claimPart + (studies.isEmpty() ? "" : "; studies: " + completed + " of " + studies.size() + " completed");
    }
}
