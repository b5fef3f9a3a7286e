package attentionlab.experiments.claims;

import java.nio.file.Path;
import java.util.List;

/** What {@link Reproduction#run} measured and wrote. */
public record ReproduceResult(Path dir, List<ClaimResult> claims, List<StudyResult> studies) {

    /** True iff every claim run holds and every study completed. */
    public boolean allHold() {
        return claims.stream().allMatch(c -> c.verdict() == Verdict.HOLDS) && studies.stream().allMatch(s -> s.error() == null);
    }

    public long count(Verdict verdict) {
        return claims.stream().filter(c -> c.verdict() == verdict).count();
    }
}
