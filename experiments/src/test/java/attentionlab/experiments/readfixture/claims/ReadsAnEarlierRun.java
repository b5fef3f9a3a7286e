package attentionlab.experiments.readfixture.claims;

import attentionlab.experiments.compare.RunRecord;
import java.nio.file.Path;

/** Planted for {@code ClaimsMeasureInThisInvocationTest}: a claim that judges a run found on disk. */
public final class ReadsAnEarlierRun {

    private ReadsAnEarlierRun() {}

    public static double lastAccuracy(Path oldRun) {
        return RunRecord.load(oldRun).summaryValue("final", "val/accuracy");
    }
}
